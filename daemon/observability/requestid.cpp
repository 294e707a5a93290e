#include "requestid.h"

#include <QDateTime>

#include <random>

namespace gw {

QByteArray RequestId::next()
{
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    const quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    const quint64 random = rng();
    QByteArray id(4 + 12 + 16, Qt::Uninitialized);
    char *p = id.data();
    *p++ = 'r';
    *p++ = 'e';
    *p++ = 'q';
    *p++ = '_';
    for (int i = 11; i >= 0; --i)
        *p++ = hex[(ms >> (i * 4)) & 0xf];
    for (int i = 15; i >= 0; --i)
        *p++ = hex[(random >> (i * 4)) & 0xf];
    return id;
}

bool RequestId::looksValid(QByteArrayView id)
{
    if (id.size() != 32 || !id.startsWith("req_"))
        return false;
    for (char c : id.sliced(4)) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

} // namespace gw
