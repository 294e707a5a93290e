#include "idgenerator.h"

#include "crypto/securerandom.h"

#include <QDateTime>

namespace gw {

QString IdGenerator::make(const char *prefix)
{
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    char time[8];
    for (int i = 7; i >= 0; --i) {
        time[i] = alphabet[ms % 62];
        ms /= 62;
    }
    QByteArray id(prefix);
    id.append('_');
    id.append(time, 8);
    id.append(SecureRandom::base62(12));
    return QString::fromLatin1(id);
}

} // namespace gw
