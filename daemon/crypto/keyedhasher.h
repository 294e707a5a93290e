#pragma once

#include <QByteArray>

struct evp_md_ctx_st;

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
    // HMAC's two SHA-256 states after the padded key (RFC 2104), made once:
    // a hash, once per request, copies them instead of keying a MAC
    // context, which allocated and freed several contexts every time.
    evp_md_ctx_st *m_inner = nullptr;
    evp_md_ctx_st *m_outer = nullptr;
};

} // namespace gw
