#include "mediapassthrough.h"

#include "api/openai/jsonbodyeditor.h"
#include "api/openai/openaiimagesanswer.h"
#include "channelendpoint.h"

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
    const auto read = OpenAiImagesAnswer::read(upstreamBody);
    if (!read || read->images == 0) {
        *problem = QStringLiteral("the upstream's answer holds no images");
        return std::nullopt;
    }
    m_images = read->images;
    m_inputTokens = read->inputTokens;
    m_outputTokens = read->outputTokens;
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
