#include "translatingtranscoder.h"

#include "api/openai/jsonbodyeditor.h"
#include "channelendpoint.h"
#include "http/apierror.h"

namespace gw {

TranslatingTranscoder::TranslatingTranscoder(RelayRequest &request, ApiFamily upstreamFamily, qint64 defaultMaxTokens)
    : m_request(request)
    , m_upstreamFamily(upstreamFamily)
    , m_defaultMaxTokens(defaultMaxTokens)
    , m_caller(ChatCodec::forFamily(request.family))
    , m_upstream(ChatCodec::forFamily(upstreamFamily))
    , m_decoder(m_upstream->streamDecoder())
    , m_encoder(m_caller->streamEncoder(request.modelId, request.includeUsageAsked, request.sseFraming))
{
}

QString TranslatingTranscoder::familyLabel(ApiFamily family)
{
    switch (family) {
    case ApiFamily::Anthropic: return QStringLiteral("Anthropic");
    case ApiFamily::Gemini: return QStringLiteral("Gemini");
    case ApiFamily::OpenAI:
    case ApiFamily::Tasks:
    case ApiFamily::Admin:
    case ApiFamily::Operations:
        break;
    }
    return QStringLiteral("OpenAI");
}

std::optional<QByteArray> TranslatingTranscoder::requestBody(const RouteCandidate &candidate, QString *refusal)
{
    if (!m_request.chat) {
        ChatCodec::Error error;
        auto decoded = m_caller->decodeRequest(m_request.body, &error);
        if (!decoded) {
            *refusal = error.message;
            return std::nullopt;
        }
        decoded->model = m_request.modelId;
        decoded->stream = m_request.stream;
        m_request.chat = std::make_shared<const ir::ChatRequest>(std::move(*decoded));
    }
    const QString served = QStringLiteral("The model '%1' is served here by a %2-compatible upstream")
                               .arg(m_request.modelId, familyLabel(m_upstreamFamily));
    if (!m_request.chat->untranslatable.isEmpty()) {
        *refusal = served + QStringLiteral(", which cannot take: %1.").arg(m_request.chat->untranslatable.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    ir::ChatRequest request = *m_request.chat;
    request.stream = m_request.stream;
    if (!request.maxTokens && m_defaultMaxTokens > 0 && m_upstreamFamily == ApiFamily::Anthropic)
        request.maxTokens = m_defaultMaxTokens;
    ChatCodec::Error error;
    auto body = m_upstream->encodeRequest(request, candidate.upstreamModel, &error);
    if (!body) {
        *refusal = served + QStringLiteral(": ") + error.message;
        return std::nullopt;
    }
    const QStringList strip = ChannelEndpoint::stripList(*candidate.channel);
    if (strip.isEmpty())
        return body;
    JsonBodyEditor editor(*body);
    editor.remove(strip);
    return editor.result();
}

void TranslatingTranscoder::handle(const QList<ir::StreamEvent> &events, StreamStep &step)
{
    for (const ir::StreamEvent &event : events) {
        if (m_errored)
            return;
        step.sawEvent = true;
        m_tally.add(event);
        switch (event.kind) {
        case ir::StreamEvent::Kind::Error:
            m_errored = true;
            step.upstreamError = event.message.isEmpty() ? QStringLiteral("the upstream reported an error") : event.message;
            return;
        case ir::StreamEvent::Kind::End:
            break; // written by streamTrailer() once the charge is recorded
        case ir::StreamEvent::Kind::Start:
            // Held until there is content: an upstream that fails right
            // after its start can still be replaced by another channel.
            m_pending += m_encoder->encode(event);
            break;
        default: {
            const QByteArray bytes = m_encoder->encode(event);
            if (!bytes.isEmpty()) {
                step.out += std::exchange(m_pending, QByteArray());
                step.out += bytes;
            }
            break;
        }
        }
    }
}

AnswerTranscoder::StreamStep TranslatingTranscoder::feed(QByteArrayView bytes)
{
    m_streamed = true;
    StreamStep step;
    QString error;
    handle(m_decoder->feed(bytes, &error), step);
    step.malformed = error;
    return step;
}

AnswerTranscoder::StreamStep TranslatingTranscoder::finish()
{
    StreamStep step;
    bool complete = false;
    QString error;
    handle(m_decoder->finish(&complete, &error), step);
    return step;
}

bool TranslatingTranscoder::streamComplete() const
{
    return !m_errored && (m_tally.sawEnd() || m_tally.sawFinish());
}

QByteArray TranslatingTranscoder::streamTrailer()
{
    ir::StreamEvent end;
    end.kind = ir::StreamEvent::Kind::End;
    return std::exchange(m_pending, QByteArray()) + m_encoder->encode(end);
}

QByteArray TranslatingTranscoder::streamError(const QString &message, const QString &code)
{
    ir::StreamEvent error;
    error.kind = ir::StreamEvent::Kind::Error;
    error.message = message;
    error.code = code;
    return std::exchange(m_pending, QByteArray()) + m_encoder->encode(error);
}

QByteArray TranslatingTranscoder::streamContentType() const
{
    if (m_request.family == ApiFamily::Gemini && !m_request.sseFraming)
        return QByteArrayLiteral("application/json; charset=utf-8");
    return AnswerTranscoder::streamContentType();
}

QByteArray TranslatingTranscoder::streamedAnswer(qsizetype maxBytes) const
{
    return m_caller->encodeResponse(m_tally.answer(), m_request.modelId).left(maxBytes);
}

std::optional<QByteArray> TranslatingTranscoder::answer(const QByteArray &upstreamBody, QString *problem)
{
    m_response = m_upstream->decodeResponse(upstreamBody);
    if (!m_response) {
        *problem = QStringLiteral("the upstream's answer could not be read as %1").arg(familyLabel(m_upstreamFamily));
        return std::nullopt;
    }
    return m_caller->encodeResponse(*m_response, m_request.modelId);
}

QByteArray TranslatingTranscoder::errorBody(int status, const QByteArray &upstreamBody, QByteArray *contentType) const
{
    ApiError e;
    e.status = status;
    e.message = m_upstream->decodeErrorMessage(upstreamBody);
    if (e.message.isEmpty())
        e.message = QStringLiteral("The upstream refused the request (HTTP %1).").arg(status);
    e.code = QStringLiteral("upstream_%1").arg(status);
    *contentType = QByteArrayLiteral("application/json");
    return e.toResponse(m_request.family).body;
}

void TranslatingTranscoder::fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const
{
    if (m_streamed)
        m_tally.fillUsage(usage, estimatedPromptTokens);
    else if (m_response)
        StreamTally::fillUsage(usage, *m_response, estimatedPromptTokens);
}

} // namespace gw
