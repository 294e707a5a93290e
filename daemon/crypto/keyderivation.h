#pragma once

#include <QByteArray>

namespace gw {

// HKDF-SHA-256 (RFC 5869), through OpenSSL's EVP_KDF.
class KeyDerivation
{
public:
    static QByteArray hkdfSha256(const QByteArray &inputKey, const QByteArray &salt, const QByteArray &info,
                                 int length);
};

} // namespace gw
