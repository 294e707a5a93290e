#include "geministreamdecoder.h"

#include "common/timeformat.h"
#include "geminichatjson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gw {

namespace {

ir::StreamEvent event(ir::StreamEvent::Kind kind, int index = 0)
{
    ir::StreamEvent e;
    e.kind = kind;
    e.index = index;
    return e;
}

// The candidate a chunk carries for the first answer: with candidateCount > 1
// chunks interleave candidates, and the IR has one answer.
QJsonObject firstCandidate(const QJsonObject &response)
{
    const QJsonArray candidates = response.value(QLatin1StringView("candidates")).toArray();
    for (const QJsonValue &candidate : candidates) {
        if (candidate.toObject().value(QLatin1StringView("index")).toInt(0) == 0)
            return candidate.toObject();
    }
    return {};
}

} // namespace

void GeminiStreamDecoder::malformed(const QString &message, QString *error)
{
    m_stopped = true;
    m_malformed = message;
    if (error)
        *error = message;
}

QList<ir::StreamEvent> GeminiStreamDecoder::feed(QByteArrayView bytes, QString *error)
{
    QList<ir::StreamEvent> out;
    if (m_stopped) {
        if (error && !m_malformed.isEmpty())
            *error = m_malformed;
        return out;
    }
    feedFramed(bytes, &out, error);
    return out;
}

void GeminiStreamDecoder::feedFramed(QByteArrayView bytes, QList<ir::StreamEvent> *out, QString *error)
{
    if (m_framing == Framing::Unknown) {
        // The first byte that is not white space tells the framing; white
        // space before it means nothing in either.
        qsizetype i = 0;
        while (i < bytes.size() && QByteArrayView(" \t\r\n").contains(bytes.at(i)))
            ++i;
        if (i == bytes.size())
            return;
        m_framing = bytes.at(i) == '[' ? Framing::JsonArray : Framing::Sse;
        bytes = bytes.sliced(i);
    }
    QString framingError;
    if (m_framing == Framing::Sse) {
        const QList<SseEventParser::Event> events = m_sse.feed(bytes, &framingError);
        for (const SseEventParser::Event &e : events) {
            if (m_stopped)
                return;
            if (e.hasData && !e.isDone())
                chunk(e.data, out, error);
        }
    } else {
        const QList<QByteArray> elements = m_array.feed(bytes, &framingError);
        for (const QByteArray &element : elements) {
            if (m_stopped)
                return;
            chunk(element, out, error);
        }
    }
    if (!framingError.isEmpty() && !m_stopped)
        malformed(framingError, error);
}

void GeminiStreamDecoder::chunk(const QByteArray &json, QList<ir::StreamEvent> *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        malformed(QStringLiteral("a stream chunk is not a JSON object"), error);
        return;
    }
    response(document.object(), out);
}

void GeminiStreamDecoder::response(const QJsonObject &response, QList<ir::StreamEvent> *out)
{
    if (response.contains(QLatin1StringView("error"))) {
        ir::StreamEvent e = event(ir::StreamEvent::Kind::Error);
        e.message = GeminiChatJson::errorMessage(response);
        e.code = GeminiChatJson::errorStatus(response);
        // Gemini's word for an overloaded model, in the term the other
        // families' encoders know.
        if (e.code == u"UNAVAILABLE")
            e.code = QStringLiteral("overloaded_error");
        if (e.message.isEmpty())
            e.message = QStringLiteral("the upstream reported an error");
        out->append(e);
        m_stopped = true;
        return;
    }
    const QJsonObject usageMetadata = response.value(QLatin1StringView("usageMetadata")).toObject();
    if (!usageMetadata.isEmpty())
        m_usage = GeminiChatJson::usage(usageMetadata); // cumulative: the latest is the total so far
    if (!m_started) {
        m_started = true;
        ir::StreamEvent e = event(ir::StreamEvent::Kind::Start);
        e.id = response.value(QLatin1StringView("responseId")).toString();
        e.model = response.value(QLatin1StringView("modelVersion")).toString();
        if (const auto created = TimeFormat::parse(response.value(QLatin1StringView("createTime")).toString()))
            e.createdSeconds = *created / 1000;
        e.usage = m_usage;
        out->append(e);
    }
    if (m_finished) {
        // Usage that comes after the finish (not what Gemini does today, but
        // the contract has room for it).
        if (!usageMetadata.isEmpty()) {
            ir::StreamEvent e = event(ir::StreamEvent::Kind::Usage);
            e.usage = m_usage;
            out->append(e);
        }
        return;
    }

    const QJsonObject candidate = firstCandidate(response);
    const QJsonArray parts = candidate.value(QLatin1StringView("content")).toObject().value(QLatin1StringView("parts")).toArray();
    for (const QJsonValue &p : parts)
        part(p.toObject(), out);

    QString finishReason = candidate.value(QLatin1StringView("finishReason")).toString();
    // A prompt blocked before any answer: no candidates, a blockReason.
    const bool blocked = !response.value(QLatin1StringView("promptFeedback")).toObject()
                              .value(QLatin1StringView("blockReason")).toString().isEmpty()
                         && candidate.isEmpty();
    if (finishReason.isEmpty() && !blocked)
        return;
    closeBlock(out);
    ir::StreamEvent e = event(ir::StreamEvent::Kind::Finish);
    e.stopReason = blocked ? ir::StopReason::ContentFilter : GeminiChatJson::stopReason(finishReason, m_calls > 0);
    e.usage = m_usage;
    out->append(e);
    m_finished = true;
}

void GeminiStreamDecoder::part(const QJsonObject &part, QList<ir::StreamEvent> *out)
{
    using Kind = ir::ContentPart::Kind;
    if (part.contains(QLatin1StringView("functionCall"))) {
        // Gemini sends a call whole, in one part.
        const QJsonObject call = part.value(QLatin1StringView("functionCall")).toObject();
        closeBlock(out);
        ir::StreamEvent start = event(ir::StreamEvent::Kind::BlockStart, m_nextIndex);
        start.part.kind = Kind::ToolCall;
        start.part.toolCallId = call.value(QLatin1StringView("id")).toString();
        if (start.part.toolCallId.isEmpty())
            start.part.toolCallId = GeminiChatJson::callId(m_calls);
        ++m_calls;
        start.part.toolName = call.value(QLatin1StringView("name")).toString();
        out->append(start);
        ir::StreamEvent arguments = event(ir::StreamEvent::Kind::ArgumentsDelta, m_nextIndex);
        arguments.arguments = QJsonDocument(call.value(QLatin1StringView("args")).toObject()).toJson(QJsonDocument::Compact);
        out->append(arguments);
        out->append(event(ir::StreamEvent::Kind::BlockStop, m_nextIndex));
        ++m_nextIndex;
        return;
    }
    const QString text = part.value(QLatin1StringView("text")).toString();
    const Kind kind = part.value(QLatin1StringView("thought")).toBool() ? Kind::Thinking : Kind::Text;
    if (!text.isEmpty() && (m_openIndex < 0 || m_openKind != kind)) {
        closeBlock(out);
        openBlock(kind, out);
    }
    // A thought's signature goes with its block's end, the IR's place for
    // it; signatures on answer parts have no IR form.
    const QByteArray signature = part.value(QLatin1StringView("thoughtSignature")).toString().toLatin1();
    if (kind == Kind::Thinking && !signature.isEmpty() && m_openIndex >= 0 && m_openKind == Kind::Thinking)
        m_signature = signature;
    // Empty text comes with the last chunk (often carrying only a
    // signature): nothing to show.
    if (text.isEmpty())
        return;
    ir::StreamEvent delta = event(ir::StreamEvent::Kind::TextDelta, m_openIndex);
    delta.text = text;
    out->append(delta);
}

void GeminiStreamDecoder::openBlock(ir::ContentPart::Kind kind, QList<ir::StreamEvent> *out)
{
    ir::StreamEvent start = event(ir::StreamEvent::Kind::BlockStart, m_nextIndex);
    start.part.kind = kind;
    out->append(start);
    m_openIndex = m_nextIndex++;
    m_openKind = kind;
}

void GeminiStreamDecoder::closeBlock(QList<ir::StreamEvent> *out)
{
    if (m_openIndex < 0)
        return;
    ir::StreamEvent stop = event(ir::StreamEvent::Kind::BlockStop, m_openIndex);
    if (m_openKind == ir::ContentPart::Kind::Thinking) {
        stop.part.kind = m_openKind;
        stop.part.signature = m_signature;
    }
    out->append(stop);
    m_openIndex = -1;
    m_signature.clear();
}

QList<ir::StreamEvent> GeminiStreamDecoder::finish(bool *complete, QString *error)
{
    QList<ir::StreamEvent> out;
    if (!m_stopped && m_framing == Framing::Sse) {
        // A last event the upstream did not end with a blank line.
        QString framingError;
        const QList<SseEventParser::Event> events = m_sse.finish(&framingError);
        for (const SseEventParser::Event &e : events) {
            if (!m_stopped && e.hasData && !e.isDone())
                chunk(e.data, &out, error);
        }
        if (!framingError.isEmpty() && !m_stopped)
            malformed(framingError, error);
    }
    if (!m_malformed.isEmpty() && error)
        *error = m_malformed;
    // An array stream ends with its closing bracket, an SSE stream with the
    // connection; either is complete only after the finishing chunk.
    const bool ok = m_finished && !m_stopped && (m_framing != Framing::JsonArray || m_array.closed());
    if (complete)
        *complete = ok;
    if (ok)
        out.append(event(ir::StreamEvent::Kind::End));
    return out;
}

} // namespace gw
