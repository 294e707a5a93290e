#pragma once

#include <QByteArray>

namespace gw {

// The shapes of the credentials the gateway issues. API keys look like
// OpenAI's ("sk-" + 48 base62 characters, about 285 bits); admin tokens are
// "gwa_" + 40 base62 characters, so that a leaked one is recognisable (and
// redactable) as the gateway's. Only a display prefix is ever stored in clear.
class TokenFormat
{
public:
    static constexpr int kApiKeyRandomChars = 48;
    static constexpr int kAdminTokenRandomChars = 40;
    static constexpr int kPrefixRandomChars = 6;

    static QByteArray newApiKey();
    static QByteArray newAdminToken();
    static bool looksLikeApiKey(QByteArrayView key);
    // "sk-AbC123" for "sk-AbC123...": enough to tell keys apart in a list.
    static QByteArray displayPrefix(QByteArrayView token);
};

} // namespace gw
