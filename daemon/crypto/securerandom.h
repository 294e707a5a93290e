#pragma once

#include <QByteArray>

namespace gw {

// Randomness for keys, tokens, nonces and ids: OpenSSL's CSPRNG.
class SecureRandom
{
public:
    static QByteArray bytes(int count);
    // `count` characters from [0-9A-Za-z], unbiased (rejection sampling).
    static QByteArray base62(int count);
};

} // namespace gw
