#pragma once

#include "relayrequest.h"
#include "routing/channelinfo.h"

#include <QByteArray>
#include <QList>
#include <QPair>

#include <optional>

namespace gw {

struct HttpRequest;

// Where and how to call a chat channel: the URL of an operation and the
// headers (credentials, versions, the channel's configured extras), by the
// family the channel's provider speaks. A base URL whose path already ends in
// a version (".../v1", ".../v1beta") is used as is; otherwise the family's
// version goes between it and the endpoint, so both "https://api.openai.com"
// and "https://host/openai/v1" work.
class ChannelEndpoint
{
public:
    // The chat family a provider speaks: "openai" (any OpenAI-compatible
    // upstream), "anthropic", "gemini"; none for task providers.
    static std::optional<ApiFamily> familyOf(const ChannelInfo &channel);

    static QByteArray url(const ChannelInfo &channel, ApiFamily family, const RelayRequest &request,
                          const QString &upstreamModel);
    // `caller` and `callerFamily`: Anthropic's version and beta headers are
    // passed on from an Anthropic caller to an Anthropic channel.
    static QList<QPair<QByteArray, QByteArray>> headers(const ChannelInfo &channel, ApiFamily family, bool stream,
                                                        const QByteArray &requestId, const HttpRequest &caller,
                                                        ApiFamily callerFamily);
    // Top-level request fields the channel's config says to remove.
    static QStringList stripList(const ChannelInfo &channel);

    static constexpr const char *DefaultAnthropicVersion = "2023-06-01";
};

} // namespace gw
