#pragma once

#include "routing/channelinfo.h"

#include <QByteArray>
#include <QList>
#include <QPair>

namespace gw {

// Where and how to call an OpenAI-compatible channel: the URL of an
// endpoint and the headers (credentials, the channel's configured extras).
// A base URL whose path already ends in a version (".../v1") is used as is;
// otherwise "/v1" goes between it and the endpoint, so both
// "https://api.openai.com" and "https://host/openai/v1" work.
class ChannelEndpoint
{
public:
    static QByteArray url(const ChannelInfo &channel, const QString &endpointPath);
    static QList<QPair<QByteArray, QByteArray>> headers(const ChannelInfo &channel, bool stream,
                                                        const QByteArray &requestId);
    // Top-level request fields the channel's config says to remove.
    static QStringList stripList(const ChannelInfo &channel);
};

} // namespace gw
