#include "idgenerator.h"

#include "crypto/securerandom.h"

#include <QDateTime>

#include <cstring>
#include <mutex>

namespace gw {

namespace {

// Random bytes for ids, drawn from the CSPRNG in blocks: an id is made per
// call on the hot path, and one RAND_bytes per id (which also calls getpid)
// cost more than the rest of the id. Ids are not secrets; keys and tokens
// take SecureRandom directly.
class RandomPool
{
public:
    unsigned char next()
    {
        if (m_used == m_bytes.size()) {
            m_bytes = SecureRandom::bytes(512);
            m_used = 0;
        }
        return static_cast<unsigned char>(m_bytes.at(m_used++));
    }

private:
    QByteArray m_bytes;
    qsizetype m_used = 0;
};

} // namespace

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
    thread_local RandomPool pool;
    QString id;
    id.reserve(qsizetype(std::strlen(prefix)) + 21);
    id.append(QLatin1String(prefix));
    id.append(QLatin1Char('_'));
    id.append(QLatin1String(head, 12));
    for (int i = 0; i < 8;) {
        const unsigned char v = pool.next();
        if (v >= 248) // 248 = 4 * 62: values above would favour the first letters
            continue;
        id.append(QLatin1Char(alphabet[v % 62]));
        ++i;
    }
    return id;
}

} // namespace gw
