#include "channelendpoint.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace gw {

QByteArray ChannelEndpoint::url(const ChannelInfo &channel, const QString &endpointPath)
{
    static const QRegularExpression versioned(QStringLiteral("/v\\d+(beta\\d*|alpha\\d*)?$"));
    QString base = channel.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (!versioned.match(base).hasMatch())
        base += QStringLiteral("/v1");
    return (base + endpointPath).toUtf8();
}

QList<QPair<QByteArray, QByteArray>> ChannelEndpoint::headers(const ChannelInfo &channel, bool stream,
                                                             const QByteArray &requestId)
{
    QList<QPair<QByteArray, QByteArray>> out;
    using Header = QPair<QByteArray, QByteArray>;
    out.append(Header("content-type", "application/json"));
    out.append(Header("accept", stream ? QByteArrayLiteral("text/event-stream") : QByteArrayLiteral("application/json")));
    if (!channel.secret.isEmpty())
        out.append(Header("authorization", "Bearer " + channel.secret));
    out.append(Header("x-gateway-request-id", requestId));
    const QJsonObject extra = channel.config.value(QStringLiteral("headers")).toObject();
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        out.append(Header(it.key().toLower().toLatin1(), it.value().toString().toUtf8()));
    return out;
}

QStringList ChannelEndpoint::stripList(const ChannelInfo &channel)
{
    QStringList out;
    for (const QJsonValue &v : channel.config.value(QStringLiteral("strip")).toArray())
        out.append(v.toString());
    return out;
}

} // namespace gw
