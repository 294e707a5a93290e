#include "idgenerator.h"

#include "crypto/securerandom.h"

#include <QDateTime>

#include <mutex>

namespace gw {

QString IdGenerator::make(const char *prefix)
{
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static std::mutex mutex;
    static quint64 lastMs = 0;
    static quint64 sequence = 0;
    quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    quint64 seq = 0;
    {
        // Ids made in the same millisecond still sort in the order they were made.
        std::lock_guard lock(mutex);
        if (ms <= lastMs) {
            ms = lastMs;
            seq = ++sequence;
        } else {
            lastMs = ms;
            sequence = 0;
        }
    }
    char head[12];
    for (int i = 7; i >= 0; --i) {
        head[i] = alphabet[ms % 62];
        ms /= 62;
    }
    for (int i = 11; i >= 8; --i) {
        head[i] = alphabet[seq % 62];
        seq /= 62;
    }
    QByteArray id(prefix);
    id.append('_');
    id.append(head, 12);
    id.append(SecureRandom::base62(8));
    return QString::fromLatin1(id);
}

} // namespace gw
