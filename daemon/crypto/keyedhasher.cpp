#include "keyedhasher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace gw {

KeyedHasher::KeyedHasher(const QByteArray &key)
    : m_key(key)
{
}

QByteArray KeyedHasher::hashHex(QByteArrayView data) const
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), m_key.constData(), int(m_key.size()), reinterpret_cast<const unsigned char *>(data.data()),
         size_t(data.size()), digest, &len);
    return QByteArray(reinterpret_cast<const char *>(digest), int(len)).toHex();
}

bool KeyedHasher::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

} // namespace gw
