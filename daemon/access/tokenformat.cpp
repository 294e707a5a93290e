#include "tokenformat.h"

#include "crypto/securerandom.h"

#include <QStringBuilder>

namespace gw {

QByteArray TokenFormat::newApiKey()
{
    return QByteArrayLiteral("sk-") + SecureRandom::base62(kApiKeyRandomChars);
}

QByteArray TokenFormat::newAdminToken()
{
    return QByteArrayLiteral("gwa_") + SecureRandom::base62(kAdminTokenRandomChars);
}

bool TokenFormat::looksLikeApiKey(QByteArrayView key)
{
    return key.startsWith("sk-") && key.size() >= 3 + 32;
}

QByteArray TokenFormat::displayPrefix(QByteArrayView token)
{
    const qsizetype dash = token.startsWith("gwa_") ? 4 : token.startsWith("sk-") ? 3 : 0;
    return token.first(qMin(token.size(), dash + kPrefixRandomChars)).toByteArray();
}

} // namespace gw
