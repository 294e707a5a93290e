#include "openaipassthrough.h"

#include "api/openai/jsonobjectlayout.h"

#include "api/openai/jsonbodyeditor.h"
#include "api/openai/openairesponserewriter.h"
#include "api/openai/openaiusage.h"
#include "channelendpoint.h"
#include "http/sseevent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

namespace {

// The first choice's finish reason, for the usage log: found by a scan, not
// a parse, since the body is otherwise relayed untouched (and a mismatch
// here costs a log field, not money).
QString firstFinishReason(const QByteArray &body)
{
    const qsizetype key = body.indexOf("\"finish_reason\"");
    if (key < 0)
        return QString();
    qsizetype i = key + 15;
    while (i < body.size() && (body.at(i) == ' ' || body.at(i) == ':' || body.at(i) == '\n' || body.at(i) == '\t' || body.at(i) == '\r'))
        ++i;
    if (i >= body.size() || body.at(i) != '"')
        return QString();
    const qsizetype end = body.indexOf('"', i + 1);
    return end > i && end - i <= 64 ? QString::fromUtf8(body.mid(i + 1, end - i - 1)) : QString();
}

} // namespace

OpenAiPassthrough::OpenAiPassthrough(const RelayRequest &request)
    : m_request(request)
{
}

std::optional<QByteArray> OpenAiPassthrough::requestBody(const RouteCandidate &candidate, QString *)
{
    JsonBodyEditor editor(m_request.body);
    editor.setString("model", candidate.upstreamModel);
    if (m_request.stream)
        editor.requestStreamUsage();
    for (const QString &key : ChannelEndpoint::stripList(*candidate.channel))
        editor.remove(key.toUtf8());
    return editor.result();
}

AnswerTranscoder::StreamStep OpenAiPassthrough::feed(QByteArrayView bytes)
{
    m_streamed = true;
    StreamStep step;
    QString error;
    for (const auto &event : m_sse.feed(bytes, &error))
        forward(event, step);
    step.malformed = error;
    return step;
}

AnswerTranscoder::StreamStep OpenAiPassthrough::finish()
{
    StreamStep step;
    QString error;
    for (const auto &event : m_sse.finish(&error))
        forward(event, step);
    return step;
}

void OpenAiPassthrough::forward(const SseEventParser::Event &event, StreamStep &step)
{
    step.sawEvent = true;
    if (event.data == "[DONE]") {
        // Held back: the end of the stream goes out once the charge is durable.
        m_doneSeen = true;
        return;
    }
    std::optional<JsonObjectLayout> layout;
    m_assembler.add(event.data, &layout);
    if (m_quotedModel.isNull())
        m_quotedModel = JsonBodyEditor::quote(m_request.modelId);
    // The gateway asked for usage for itself; a caller that did not ask gets
    // the stream it would have got from the provider: no usage-only chunk,
    // no "usage": null.
    QByteArray edited;
    const bool callerWithoutUsage = !m_request.includeUsageAsked;
    const auto edit = layout ? OpenAiResponseRewriter::editChunk(event.data, *layout, m_quotedModel, callerWithoutUsage, &edited)
                             : OpenAiResponseRewriter::editChunk(event.data, m_quotedModel, callerWithoutUsage, &edited);
    switch (edit) {
    case OpenAiResponseRewriter::ChunkEdit::Drop:
        return;
    case OpenAiResponseRewriter::ChunkEdit::Keep:
        SseEvent::appendTo(step.out, event.data, event.event);
        return;
    case OpenAiResponseRewriter::ChunkEdit::Edited:
        SseEvent::appendTo(step.out, edited, event.event);
        return;
    }
}

bool OpenAiPassthrough::streamComplete() const
{
    return m_doneSeen || !m_assembler.finishReason().isEmpty();
}

QByteArray OpenAiPassthrough::streamTrailer()
{
    return m_doneSeen ? SseEvent::format("[DONE]") : QByteArray();
}

QByteArray OpenAiPassthrough::streamError(const QString &message, const QString &code)
{
    const QJsonObject error{{QStringLiteral("error"),
                             QJsonObject{{QStringLiteral("message"), message},
                                         {QStringLiteral("type"), code == QLatin1String("ledger_unavailable")
                                                                      ? QStringLiteral("server_error")
                                                                      : QStringLiteral("upstream_error")},
                                         {QStringLiteral("code"), code}}}};
    return SseEvent::format(QJsonDocument(error).toJson(QJsonDocument::Compact));
}

QByteArray OpenAiPassthrough::streamedAnswer(qsizetype maxBytes) const
{
    return m_assembler.assembledText(maxBytes);
}

std::optional<QByteArray> OpenAiPassthrough::answer(const QByteArray &upstreamBody, QString *)
{
    m_answer = upstreamBody;
    m_answerUsage.reset();
    // One scan serves the model rewrite and the usage: only the usage
    // object itself is read again.
    const std::optional<JsonObjectLayout> layout = JsonObjectLayout::scan(upstreamBody, false);
    if (!layout)
        return upstreamBody;
    if (const int usage = layout->lastIndexOf(upstreamBody, "usage"); usage >= 0)
        m_answerUsage = OpenAiUsage::fromJson(layout->rawValue(upstreamBody, usage));
    QByteArray rewritten;
    return OpenAiResponseRewriter::rewriteModel(upstreamBody, *layout, m_request.modelId, &rewritten) ? rewritten : upstreamBody;
}

QByteArray OpenAiPassthrough::errorBody(int, const QByteArray &upstreamBody, QByteArray *) const
{
    return OpenAiResponseRewriter::replaceModel(upstreamBody, m_request.modelId);
}

void OpenAiPassthrough::fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const
{
    if (m_streamed) {
        usage.finishReason = QString::fromUtf8(m_assembler.finishReason());
        usage.deliveredChars = m_assembler.deliveredChars();
        if (const auto reported = m_assembler.usage()) {
            usage.promptTokens = reported->promptTokens;
            usage.completionTokens = reported->completionTokens;
            usage.cachedTokens = reported->cachedTokens;
            usage.reasoningTokens = reported->reasoningTokens;
        } else {
            usage.estimated = true;
            usage.promptTokens = estimatedPromptTokens;
            usage.completionTokens = m_assembler.completionEstimate().tokens();
        }
        return;
    }
    usage.finishReason = firstFinishReason(m_answer);
    if (const auto &reported = m_answerUsage) {
        usage.promptTokens = reported->promptTokens;
        usage.completionTokens = reported->completionTokens;
        usage.cachedTokens = reported->cachedTokens;
        usage.reasoningTokens = reported->reasoningTokens;
        return;
    }
    // Rare: an upstream that reports no usage. Estimate from the answer's
    // text, not its JSON (which would count every brace and key).
    usage.estimated = true;
    usage.promptTokens = estimatedPromptTokens;
    TokenEstimator estimate;
    const QJsonArray choices = QJsonDocument::fromJson(m_answer).object().value(QStringLiteral("choices")).toArray();
    for (const QJsonValue &choice : choices) {
        const QJsonObject message = choice.toObject().value(QStringLiteral("message")).toObject();
        estimate.addText(message.value(QStringLiteral("content")).toString().toUtf8());
        for (const QJsonValue &call : message.value(QStringLiteral("tool_calls")).toArray())
            estimate.addText(QJsonDocument(call.toObject()).toJson(QJsonDocument::Compact));
    }
    usage.completionTokens = m_request.operation == RelayOperation::Chat ? estimate.tokens() : 0;
}

} // namespace gw
