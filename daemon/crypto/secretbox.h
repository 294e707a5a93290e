#pragma once

#include <QByteArray>

#include <optional>

namespace gw {

// Authenticated encryption of secrets at rest: AES-256-GCM with a random
// 96-bit nonce. The associated data binds a ciphertext to its owner (for a
// channel secret, the channel id), so a ciphertext copied to another row
// does not decrypt. Sealed form: "v1:" + base64(nonce | ciphertext | tag).
class SecretBox
{
public:
    explicit SecretBox(const QByteArray &key); // 32 bytes

    QByteArray seal(const QByteArray &plaintext, const QByteArray &associatedData) const;
    std::optional<QByteArray> open(const QByteArray &sealed, const QByteArray &associatedData) const;

private:
    QByteArray m_key;
};

} // namespace gw
