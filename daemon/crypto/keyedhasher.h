#pragma once

#include <QByteArray>

namespace gw {

// HMAC-SHA-256 under the daemon's hashing key: how API keys and admin tokens
// are stored and looked up. Without the master key the stored hashes cannot
// be brute-forced offline, unlike a plain SHA-256 of a token.
class KeyedHasher
{
public:
    explicit KeyedHasher(const QByteArray &key);

    // Lower-case hex of HMAC-SHA-256(key, data).
    QByteArray hashHex(QByteArrayView data) const;

    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

private:
    QByteArray m_key;
};

} // namespace gw
