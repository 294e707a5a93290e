#include "embeddingpassthrough.h"

#include "api/openai/jsonbodyeditor.h"
#include "channelendpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

std::optional<QByteArray> EmbeddingPassthrough::requestBody(const RouteCandidate &candidate, QString *)
{
    QByteArray body = m_request.body;
    if (m_request.batchEmbeddings) {
        // Each request of a batch names its model, and Gemini wants the one
        // in the URL: the channel's name for it, not the public one.
        QJsonObject o = QJsonDocument::fromJson(body).object();
        QJsonArray requests = o.value(QStringLiteral("requests")).toArray();
        QString upstream = candidate.upstreamModel;
        if (!upstream.startsWith(QLatin1String("models/")))
            upstream.prepend(QLatin1String("models/"));
        for (qsizetype i = 0; i < requests.size(); ++i) {
            QJsonObject r = requests.at(i).toObject();
            r.insert(QStringLiteral("model"), upstream);
            requests.replace(i, r);
        }
        o.insert(QStringLiteral("requests"), requests);
        body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    }
    const QStringList strip = ChannelEndpoint::stripList(*candidate.channel);
    if (strip.isEmpty())
        return body;
    JsonBodyEditor editor(body);
    editor.remove(strip);
    return editor.result();
}

std::optional<QByteArray> EmbeddingPassthrough::answer(const QByteArray &upstreamBody, QString *problem)
{
    if (!QJsonDocument::fromJson(upstreamBody).isObject()) {
        *problem = QStringLiteral("the upstream's answer is not a JSON object");
        return std::nullopt;
    }
    return upstreamBody;
}

void EmbeddingPassthrough::fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const
{
    usage.promptTokens = estimatedPromptTokens;
    usage.completionTokens = 0;
    usage.estimated = true;
}

} // namespace gw
