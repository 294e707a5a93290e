#include "secretbox.h"

#include <QStringBuilder>

#include "securerandom.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace gw {

namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;
const QByteArray kVersion = QByteArrayLiteral("v1:");

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

} // namespace

SecretBox::SecretBox(const QByteArray &key)
    : m_key(key)
{
    if (m_key.size() != 32)
        throw std::invalid_argument("SecretBox needs a 32-byte key");
}

QByteArray SecretBox::seal(const QByteArray &plaintext, const QByteArray &associatedData) const
{
    const QByteArray nonce = SecureRandom::bytes(kNonceBytes);
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    QByteArray out(kNonceBytes + plaintext.size() + kTagBytes, Qt::Uninitialized);
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    std::copy(nonce.begin(), nonce.end(), out.begin());
    int len = 0;
    int total = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1
        || EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char *>(m_key.constData()),
                              reinterpret_cast<const unsigned char *>(nonce.constData())) != 1
        || EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char *>(associatedData.constData()),
                             int(associatedData.size())) != 1
        || EVP_EncryptUpdate(ctx.get(), o + kNonceBytes, &len, reinterpret_cast<const unsigned char *>(plaintext.constData()),
                             int(plaintext.size())) != 1)
        throw std::runtime_error("AES-GCM encryption failed");
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), o + kNonceBytes + total, &len) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, o + kNonceBytes + plaintext.size()) != 1)
        throw std::runtime_error("AES-GCM encryption failed");
    return kVersion + out.toBase64();
}

std::optional<QByteArray> SecretBox::open(const QByteArray &sealed, const QByteArray &associatedData) const
{
    if (!sealed.startsWith(kVersion))
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(sealed.mid(kVersion.size()), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() < kNonceBytes + kTagBytes)
        return std::nullopt;
    const QByteArray &raw = decoded.decoded;
    const auto *r = reinterpret_cast<const unsigned char *>(raw.constData());
    const int cipherLen = int(raw.size()) - kNonceBytes - kTagBytes;
    QByteArray plain(cipherLen, Qt::Uninitialized);
    CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int len = 0;
    QByteArray tag = raw.right(kTagBytes);
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1
        || EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char *>(m_key.constData()), r) != 1
        || EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char *>(associatedData.constData()),
                             int(associatedData.size())) != 1
        || EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(plain.data()), &len, r + kNonceBytes, cipherLen) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1)
        return std::nullopt;
    int finalLen = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(plain.data()) + len, &finalLen) != 1)
        return std::nullopt; // wrong key, wrong owner, or tampered
    return plain;
}

} // namespace gw
