#include "nativepassthrough.h"

#include "api/openai/jsonbodyeditor.h"
#include "channelendpoint.h"

namespace gw {

NativePassthrough::NativePassthrough(const RelayRequest &request, ApiFamily family)
    : m_request(request)
    , m_codec(ChatCodec::forFamily(family))
    , m_decoder(m_codec->streamDecoder())
{
}

std::optional<QByteArray> NativePassthrough::requestBody(const RouteCandidate &candidate, QString *)
{
    JsonBodyEditor editor(m_request.body);
    if (modelInBody())
        editor.setString("model", candidate.upstreamModel);
    for (const QString &key : ChannelEndpoint::stripList(*candidate.channel))
        editor.remove(key.toUtf8());
    return editor.hasEdits() ? editor.result() : m_request.body;
}

QByteArray NativePassthrough::withPublicModel(const QByteArray &json) const
{
    JsonBodyEditor editor(json);
    if (!editor.isValid())
        return json;
    editor.setString(modelKey(), m_request.modelId);
    return editor.result();
}

AnswerTranscoder::StreamStep NativePassthrough::feed(QByteArrayView bytes)
{
    m_streamed = true;
    StreamStep step;
    QString error;
    for (const auto &event : m_sse.feed(bytes, &error))
        handle(event, step);
    step.malformed = error;
    return step;
}

AnswerTranscoder::StreamStep NativePassthrough::finish()
{
    StreamStep step;
    QString error;
    for (const auto &event : m_sse.finish(&error))
        handle(event, step);
    bool complete = false;
    for (const auto &e : m_decoder->finish(&complete, &error))
        m_tally.add(e);
    return step;
}

void NativePassthrough::handle(const SseEventParser::Event &event, StreamStep &step)
{
    if (!event.hasData)
        return; // a comment or keep-alive: nothing a client acts on
    step.sawEvent = true;
    Decoded decoded;
    QString error;
    for (const auto &e : m_decoder->feed(event.raw, &error)) {
        m_tally.add(e);
        if (e.kind == ir::StreamEvent::Kind::Finish)
            decoded.finish = true;
        else if (e.kind == ir::StreamEvent::Kind::End)
            decoded.end = true;
        else if (e.kind == ir::StreamEvent::Kind::Error)
            decoded.error = e.message.isEmpty() ? QStringLiteral("the upstream reported an error") : e.message;
    }
    if (!error.isEmpty() && step.malformed.isEmpty())
        step.malformed = error;
    if (!decoded.error.isEmpty()) {
        step.upstreamError = decoded.error;
        return;
    }
    forward(event, decoded, step);
}

QByteArray NativePassthrough::streamedAnswer(qsizetype maxBytes) const
{
    return m_codec->encodeResponse(m_tally.answer(), m_request.modelId).left(maxBytes);
}

std::optional<QByteArray> NativePassthrough::answer(const QByteArray &upstreamBody, QString *problem)
{
    m_response = m_codec->decodeResponse(upstreamBody);
    if (!m_response) {
        *problem = QStringLiteral("the upstream's answer could not be read");
        return std::nullopt;
    }
    return withPublicModel(upstreamBody);
}

QByteArray NativePassthrough::errorBody(int, const QByteArray &upstreamBody, QByteArray *) const
{
    return upstreamBody;
}

void NativePassthrough::fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const
{
    if (m_streamed)
        m_tally.fillUsage(usage, estimatedPromptTokens);
    else if (m_response)
        StreamTally::fillUsage(usage, *m_response, estimatedPromptTokens);
}

} // namespace gw
