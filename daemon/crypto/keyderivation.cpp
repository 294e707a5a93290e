#include "keyderivation.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <stdexcept>

namespace gw {

QByteArray KeyDerivation::hkdfSha256(const QByteArray &inputKey, const QByteArray &salt, const QByteArray &info,
                                     int length)
{
    EVP_KDF *kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    if (!kdf)
        throw std::runtime_error("OpenSSL has no HKDF");
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (!ctx)
        throw std::runtime_error("HKDF context allocation failed");

    char digest[] = "SHA256";
    QByteArray key = inputKey;
    QByteArray saltCopy = salt;
    QByteArray infoCopy = info;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key.data(), size_t(key.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, saltCopy.data(), size_t(saltCopy.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, infoCopy.data(), size_t(infoCopy.size())),
        OSSL_PARAM_construct_end(),
    };
    QByteArray out(length, Qt::Uninitialized);
    const int ok = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char *>(out.data()), size_t(length), params);
    EVP_KDF_CTX_free(ctx);
    if (ok != 1)
        throw std::runtime_error("HKDF derivation failed");
    return out;
}

} // namespace gw
