#include "anthropicstreamdecoder.h"

#include "stopreasons.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gw {

using Kind = ir::ContentPart::Kind;
using EventKind = ir::StreamEvent::Kind;

void AnthropicStreamDecoder::ensureStarted(QList<ir::StreamEvent> *out)
{
    if (m_started)
        return;
    ir::StreamEvent event;
    event.kind = EventKind::Start;
    out->append(event);
    m_started = true;
}

void AnthropicStreamDecoder::handle(const SseEventParser::Event &event, QList<ir::StreamEvent> *out)
{
    if (m_done || !event.hasData)
        return;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        // The upstream closed in the middle of an event: incomplete (finish()
        // says so), not malformed.
        if (m_finishing)
            m_done = true;
        else
            fail(u"an event's data is not a JSON object"_s);
        return;
    }
    const QJsonObject data = doc.object();
    // The data's "type" repeats the event name; it is what the SDKs read.
    QString type = data.value("type"_L1).toString();
    if (type.isEmpty())
        type = QString::fromUtf8(event.event);

    if (type == "message_start"_L1) {
        if (m_started)
            return;
        const QJsonObject message = data.value("message"_L1).toObject();
        m_usage.merge(message.value("usage"_L1).toObject());
        ir::StreamEvent start;
        start.kind = EventKind::Start;
        start.id = message.value("id"_L1).toString();
        start.model = message.value("model"_L1).toString();
        start.usage = m_usage.toIr();
        out->append(start);
        m_started = true;
    } else if (type == "content_block_start"_L1) {
        if (m_finished)
            return;
        ensureStarted(out);
        blockStart(data, out);
    } else if (type == "content_block_delta"_L1) {
        if (!m_finished)
            blockDelta(data, out);
    } else if (type == "content_block_stop"_L1) {
        if (data.value("index"_L1).toInt(-1) == m_openUpstream)
            closeBlock(out);
    } else if (type == "message_delta"_L1) {
        ensureStarted(out);
        finishMessage(data, out);
    } else if (type == "message_stop"_L1) {
        ensureStarted(out);
        if (!m_finished) {
            // A message_stop with no message_delta before it: still complete.
            finishMessage(QJsonObject(), out);
        }
        ir::StreamEvent end;
        end.kind = EventKind::End;
        out->append(end);
        m_ended = m_done = true;
    } else if (type == "error"_L1) {
        const QJsonObject error = data.value("error"_L1).toObject();
        ir::StreamEvent failure;
        failure.kind = EventKind::Error;
        failure.message = error.value("message"_L1).toString();
        failure.code = error.value("type"_L1).toString();
        out->append(failure);
        m_done = true;
    }
    // ping, and event types added later: nothing to translate.
}

void AnthropicStreamDecoder::blockStart(const QJsonObject &data, QList<ir::StreamEvent> *out)
{
    closeBlock(out);
    const int upstreamIndex = data.value("index"_L1).toInt(-1);
    const QJsonObject block = data.value("content_block"_L1).toObject();
    const QString type = block.value("type"_L1).toString();
    ir::ContentPart part;
    QString initialText;
    QByteArray initialArguments;
    if (type == "text"_L1) {
        initialText = block.value("text"_L1).toString();
    } else if (type == "thinking"_L1) {
        part.kind = Kind::Thinking;
        initialText = block.value("thinking"_L1).toString();
        m_signature = block.value("signature"_L1).toString().toLatin1();
    } else if (type == "redacted_thinking"_L1) {
        part.kind = Kind::Thinking;
        part.redacted = true;
        part.signature = block.value("data"_L1).toString().toLatin1();
    } else if (type == "tool_use"_L1) {
        part.kind = Kind::ToolCall;
        part.toolCallId = block.value("id"_L1).toString();
        part.toolName = block.value("name"_L1).toString();
        const QJsonObject input = block.value("input"_L1).toObject();
        if (!input.isEmpty())
            initialArguments = AnthropicChatJson::argumentsFromInput(input);
    } else {
        return;  // server tool blocks: skipped, deltas and stop included
    }
    ir::StreamEvent start;
    start.kind = EventKind::BlockStart;
    start.index = m_openBlock = m_nextBlock++;
    start.part = part;
    m_openUpstream = upstreamIndex;
    m_openKind = part.kind;
    out->append(start);
    if (!initialText.isEmpty()) {
        ir::StreamEvent delta;
        delta.kind = EventKind::TextDelta;
        delta.index = m_openBlock;
        delta.text = initialText;
        out->append(delta);
    }
    if (!initialArguments.isEmpty()) {
        ir::StreamEvent delta;
        delta.kind = EventKind::ArgumentsDelta;
        delta.index = m_openBlock;
        delta.arguments = initialArguments;
        out->append(delta);
    }
}

void AnthropicStreamDecoder::blockDelta(const QJsonObject &data, QList<ir::StreamEvent> *out)
{
    if (m_openBlock < 0 || data.value("index"_L1).toInt(-1) != m_openUpstream)
        return;  // a skipped block's delta
    const QJsonObject delta = data.value("delta"_L1).toObject();
    const QString type = delta.value("type"_L1).toString();
    ir::StreamEvent event;
    event.index = m_openBlock;
    if (type == "text_delta"_L1 || type == "thinking_delta"_L1) {
        event.kind = EventKind::TextDelta;
        event.text = delta.value(type == "text_delta"_L1 ? "text"_L1 : "thinking"_L1).toString();
        if (event.text.isEmpty())
            return;
    } else if (type == "input_json_delta"_L1) {
        event.kind = EventKind::ArgumentsDelta;
        event.arguments = delta.value("partial_json"_L1).toString().toUtf8();
        if (event.arguments.isEmpty())
            return;
    } else if (type == "signature_delta"_L1) {
        m_signature += delta.value("signature"_L1).toString().toLatin1();
        return;
    } else {
        return;  // citations_delta and later kinds
    }
    out->append(event);
}

void AnthropicStreamDecoder::closeBlock(QList<ir::StreamEvent> *out)
{
    if (m_openBlock < 0)
        return;
    ir::StreamEvent stop;
    stop.kind = EventKind::BlockStop;
    stop.index = m_openBlock;
    stop.part.kind = m_openKind;
    if (m_openKind == Kind::Thinking)
        stop.part.signature = m_signature;
    out->append(stop);
    m_openBlock = m_openUpstream = -1;
    m_signature.clear();
}

void AnthropicStreamDecoder::finishMessage(const QJsonObject &data, QList<ir::StreamEvent> *out)
{
    closeBlock(out);
    m_usage.merge(data.value("usage"_L1).toObject());
    ir::StreamEvent event;
    if (m_finished) {
        // A later message_delta: only its usage is news.
        event.kind = EventKind::Usage;
    } else {
        const QJsonObject delta = data.value("delta"_L1).toObject();
        event.kind = EventKind::Finish;
        event.stopReason = data.isEmpty() ? ir::StopReason::Unknown
                                          : StopReasons::fromAnthropic(delta.value("stop_reason"_L1).toString());
        event.stopSequence = delta.value("stop_sequence"_L1).toString();
        m_finished = true;
    }
    event.usage = m_usage.toIr();
    out->append(event);
}

} // namespace gw
