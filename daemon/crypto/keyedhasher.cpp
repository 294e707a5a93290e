#include "keyedhasher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace gw {

namespace {

constexpr int kBlock = 64; // SHA-256's block size

EVP_MD_CTX *paddedState(const std::array<unsigned char, kBlock> &key, unsigned char pad)
{
    std::array<unsigned char, kBlock> block{};
    for (int i = 0; i < kBlock; ++i)
        block[size_t(i)] = key[size_t(i)] ^ pad;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 && EVP_DigestUpdate(ctx, block.data(), block.size()) == 1) {
        OPENSSL_cleanse(block.data(), block.size());
        return ctx;
    }
    OPENSSL_cleanse(block.data(), block.size());
    EVP_MD_CTX_free(ctx);
    return nullptr;
}

// One working context per thread, reused for every hash.
EVP_MD_CTX *scratch()
{
    thread_local struct Holder
    {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        ~Holder() { EVP_MD_CTX_free(ctx); }
    } holder;
    return holder.ctx;
}

} // namespace

KeyedHasher::KeyedHasher(const QByteArray &key)
    : m_key(key)
{
    std::array<unsigned char, kBlock> padded{};
    if (key.size() > kBlock) {
        unsigned int len = 0;
        if (EVP_Digest(key.constData(), size_t(key.size()), padded.data(), &len, EVP_sha256(), nullptr) != 1)
            return;
    } else {
        std::copy(key.cbegin(), key.cend(), padded.begin());
    }
    m_inner = paddedState(padded, 0x36);
    m_outer = paddedState(padded, 0x5c);
    OPENSSL_cleanse(padded.data(), padded.size());
}

KeyedHasher::~KeyedHasher()
{
    EVP_MD_CTX_free(m_inner);
    EVP_MD_CTX_free(m_outer);
}

QByteArray KeyedHasher::hashHex(QByteArrayView data) const
{
    unsigned char inner[EVP_MAX_MD_SIZE];
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int innerLen = 0;
    unsigned int len = 0;
    EVP_MD_CTX *ctx = scratch();
    const bool done = m_inner && m_outer && ctx && EVP_MD_CTX_copy_ex(ctx, m_inner) == 1
                      && EVP_DigestUpdate(ctx, data.data(), size_t(data.size())) == 1
                      && EVP_DigestFinal_ex(ctx, inner, &innerLen) == 1 && EVP_MD_CTX_copy_ex(ctx, m_outer) == 1
                      && EVP_DigestUpdate(ctx, inner, innerLen) == 1 && EVP_DigestFinal_ex(ctx, digest, &len) == 1;
    if (!done) {
        HMAC(EVP_sha256(), m_key.constData(), int(m_key.size()), reinterpret_cast<const unsigned char *>(data.data()),
             size_t(data.size()), digest, &len);
    }
    static constexpr char hex[] = "0123456789abcdef";
    QByteArray out(qsizetype(len) * 2, Qt::Uninitialized);
    char *p = out.data();
    for (unsigned int i = 0; i < len; ++i) {
        *p++ = hex[digest[i] >> 4];
        *p++ = hex[digest[i] & 0xf];
    }
    return out;
}

bool KeyedHasher::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

} // namespace gw
