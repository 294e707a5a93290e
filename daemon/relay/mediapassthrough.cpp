#include "mediapassthrough.h"

#include "api/openai/jsonbodyeditor.h"
#include "channelendpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

std::optional<QByteArray> MediaPassthrough::requestBody(const RouteCandidate &candidate, QString *)
{
    JsonBodyEditor editor{QByteArrayView(m_request.body)};
    editor.setString("model", candidate.upstreamModel);
    const QStringList strip = ChannelEndpoint::stripList(*candidate.channel);
    if (!strip.isEmpty())
        editor.remove(strip);
    return editor.result();
}

std::optional<QByteArray> MediaPassthrough::answer(const QByteArray &upstreamBody, QString *problem)
{
    if (m_request.operation == RelayOperation::Speech) {
        if (upstreamBody.isEmpty()) {
            *problem = QStringLiteral("the upstream's answer has no audio");
            return std::nullopt;
        }
        return upstreamBody;
    }
    // Image answers are small beside what they cost to make, and read once:
    // a document is fine here.
    const QJsonDocument document = QJsonDocument::fromJson(upstreamBody);
    const QJsonArray data = document.object().value(QLatin1String("data")).toArray();
    if (!document.isObject() || data.isEmpty()) {
        *problem = QStringLiteral("the upstream's answer holds no images");
        return std::nullopt;
    }
    m_images = data.size();
    const QJsonObject usage = document.object().value(QLatin1String("usage")).toObject();
    if (usage.value(QLatin1String("input_tokens")).isDouble())
        m_inputTokens = qMax<qint64>(0, usage.value(QLatin1String("input_tokens")).toInteger());
    if (usage.value(QLatin1String("output_tokens")).isDouble())
        m_outputTokens = qMax<qint64>(0, usage.value(QLatin1String("output_tokens")).toInteger());
    return upstreamBody;
}

QByteArray MediaPassthrough::storedAnswer(const QByteArray &answer) const
{
    if (m_request.operation != RelayOperation::Speech)
        return answer;
    // Audio is not text: the log says what went out instead.
    return QByteArrayLiteral("[audio, ") + QByteArray::number(answer.size()) + QByteArrayLiteral(" bytes]");
}

void MediaPassthrough::fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const
{
    usage.images = m_images;
    usage.promptTokens = m_inputTokens.value_or(estimatedPromptTokens);
    usage.completionTokens = m_outputTokens.value_or(0);
    // Tokens are the upstream's when it reported them (gpt-image-*); speech
    // is priced by characters, counted here, so nothing in it is estimated.
    usage.estimated = m_request.operation == RelayOperation::Images && !m_inputTokens;
}

} // namespace gw
