#pragma once

#include <QByteArray>

#include <memory>

struct evp_mac_ctx_st;

namespace gw {

// HMAC-SHA-256 under the daemon's hashing key: how API keys and admin tokens
// are stored and looked up. Without the master key the stored hashes cannot
// be brute-forced offline, unlike a plain SHA-256 of a token.
class KeyedHasher
{
public:
    explicit KeyedHasher(const QByteArray &key);
    ~KeyedHasher();
    KeyedHasher(const KeyedHasher &other) : KeyedHasher(other.m_key) {}
    KeyedHasher &operator=(const KeyedHasher &) = delete;

    // Lower-case hex of HMAC-SHA-256(key, data). Any thread.
    QByteArray hashHex(QByteArrayView data) const;

    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

private:
    QByteArray m_key;
    // Keyed once; each hash works on a copy, so that no lookup of the
    // algorithm or key schedule happens per request.
    evp_mac_ctx_st *m_keyed = nullptr;
};

} // namespace gw
