#include "keyedhasher.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

namespace gw {

KeyedHasher::KeyedHasher(const QByteArray &key)
    : m_key(key)
{
    EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (!mac)
        return;
    m_keyed = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    if (!m_keyed)
        return;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(m_keyed, reinterpret_cast<const unsigned char *>(m_key.constData()), size_t(m_key.size()), params) != 1) {
        EVP_MAC_CTX_free(m_keyed);
        m_keyed = nullptr;
    }
}

KeyedHasher::~KeyedHasher()
{
    EVP_MAC_CTX_free(m_keyed);
}

QByteArray KeyedHasher::hashHex(QByteArrayView data) const
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    size_t len = 0;
    EVP_MAC_CTX *ctx = m_keyed ? EVP_MAC_CTX_dup(m_keyed) : nullptr;
    const bool done = ctx && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size())) == 1
                      && EVP_MAC_final(ctx, digest, &len, sizeof digest) == 1;
    EVP_MAC_CTX_free(ctx);
    if (!done) {
        unsigned int one = 0;
        HMAC(EVP_sha256(), m_key.constData(), int(m_key.size()), reinterpret_cast<const unsigned char *>(data.data()),
             size_t(data.size()), digest, &one);
        len = one;
    }
    return QByteArray(reinterpret_cast<const char *>(digest), int(len)).toHex();
}

bool KeyedHasher::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

} // namespace gw
