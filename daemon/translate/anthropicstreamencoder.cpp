#include "anthropicstreamencoder.h"

#include "anthropicchatjson.h"
#include "http/sseevent.h"
#include "stopreasons.h"
#include "streamusage.h"
#include "toolcallids.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gw {

using Kind = ir::ContentPart::Kind;
using EventKind = ir::StreamEvent::Kind;

namespace {

QByteArray frame(const char *name, const QJsonObject &data)
{
    return SseEvent::format(QJsonDocument(data).toJson(QJsonDocument::Compact), name);
}

QByteArray blockDelta(int index, const QJsonObject &delta)
{
    return frame("content_block_delta",
                 QJsonObject{{u"type"_s, u"content_block_delta"_s}, {u"index"_s, index}, {u"delta"_s, delta}});
}

} // namespace

AnthropicStreamEncoder::AnthropicStreamEncoder(const QString &publicModel)
    : m_model(publicModel)
{
}

QByteArray AnthropicStreamEncoder::messageStart(const ir::StreamEvent *start)
{
    m_started = true;
    QJsonObject usage{{u"input_tokens"_s, 0}, {u"output_tokens"_s, 0}};
    if (start && start->usage.present) {
        StreamUsage::merge(&m_usage, start->usage);
        usage = AnthropicChatJson::usageToJson(start->usage);
    }
    const QJsonObject message{
        {u"id"_s, start && !start->id.isEmpty() ? start->id : AnthropicChatJson::newMessageId()},
        {u"type"_s, u"message"_s},
        {u"role"_s, u"assistant"_s},
        {u"content"_s, QJsonArray()},
        {u"model"_s, m_model},
        {u"stop_reason"_s, QJsonValue(QJsonValue::Null)},
        {u"stop_sequence"_s, QJsonValue(QJsonValue::Null)},
        {u"usage"_s, usage},
    };
    return frame("message_start", QJsonObject{{u"type"_s, u"message_start"_s}, {u"message"_s, message}})
           + frame("ping", QJsonObject{{u"type"_s, u"ping"_s}});
}

QByteArray AnthropicStreamEncoder::encode(const ir::StreamEvent &event)
{
    if (event.kind == EventKind::Start)
        return m_started ? QByteArray() : messageStart(&event);
    if (event.kind == EventKind::Error) {
        const QString type = event.code == "overloaded_error"_L1 ? u"overloaded_error"_s : u"api_error"_s;
        return frame("error", QJsonObject{{u"type"_s, u"error"_s},
                                          {u"error"_s, QJsonObject{{u"type"_s, type}, {u"message"_s, event.message}}}});
    }
    QByteArray out = m_started ? QByteArray() : messageStart(nullptr);
    switch (event.kind) {
    case EventKind::Start:
    case EventKind::Error:
        break;
    case EventKind::BlockStart: {
        m_blocks.insert(event.index, Block{event.part.kind, event.part.redacted});
        QJsonObject block;
        switch (event.part.kind) {
        case Kind::ToolCall:
            block = QJsonObject{
                {u"type"_s, u"tool_use"_s},
                {u"id"_s, event.part.toolCallId.isEmpty() ? ToolCallIds::synthesize(u"toolu_"_s, m_tools)
                                                          : event.part.toolCallId},
                {u"name"_s, event.part.toolName},
                {u"input"_s, QJsonObject()},
            };
            ++m_tools;
            break;
        case Kind::Thinking:
            if (event.part.redacted)
                block = QJsonObject{{u"type"_s, u"redacted_thinking"_s}, {u"data"_s, QString::fromLatin1(event.part.signature)}};
            else
                block = QJsonObject{{u"type"_s, u"thinking"_s}, {u"thinking"_s, QString()}};
            break;
        case Kind::Text:
        case Kind::Image:
        case Kind::ToolResult:
            block = QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, QString()}};
            break;
        }
        out += frame("content_block_start", QJsonObject{{u"type"_s, u"content_block_start"_s},
                                                        {u"index"_s, event.index},
                                                        {u"content_block"_s, block}});
        break;
    }
    case EventKind::TextDelta:
        if (m_blocks.value(event.index).kind == Kind::Thinking)
            out += blockDelta(event.index, QJsonObject{{u"type"_s, u"thinking_delta"_s}, {u"thinking"_s, event.text}});
        else
            out += blockDelta(event.index, QJsonObject{{u"type"_s, u"text_delta"_s}, {u"text"_s, event.text}});
        break;
    case EventKind::ArgumentsDelta:
        out += blockDelta(event.index, QJsonObject{{u"type"_s, u"input_json_delta"_s},
                                                   {u"partial_json"_s, QString::fromUtf8(event.arguments)}});
        break;
    case EventKind::BlockStop: {
        const Block block = m_blocks.value(event.index);
        if (block.kind == Kind::Thinking && !block.redacted && !event.part.signature.isEmpty())
            out += blockDelta(event.index, QJsonObject{{u"type"_s, u"signature_delta"_s},
                                                       {u"signature"_s, QString::fromLatin1(event.part.signature)}});
        out += frame("content_block_stop", QJsonObject{{u"type"_s, u"content_block_stop"_s}, {u"index"_s, event.index}});
        break;
    }
    case EventKind::Finish:
        m_finished = true;
        m_stopReason = event.stopReason;
        m_stopSequence = event.stopSequence;
        StreamUsage::merge(&m_usage, event.usage);
        break;
    case EventKind::Usage:
        StreamUsage::merge(&m_usage, event.usage);
        break;
    case EventKind::End: {
        const bool stopSequence = m_stopReason == ir::StopReason::StopSequence && !m_stopSequence.isEmpty();
        QJsonObject usage{{u"output_tokens"_s, m_usage.outputTokens}};
        if (m_usage.inputTokens > 0) {
            const QJsonObject whole = AnthropicChatJson::usageToJson(m_usage);
            for (auto it = whole.begin(); it != whole.end(); ++it)
                usage.insert(it.key(), it.value());
        }
        const QJsonObject delta{
            {u"stop_reason"_s, StopReasons::toAnthropic(m_finished ? m_stopReason : ir::StopReason::EndTurn)},
            {u"stop_sequence"_s, stopSequence ? QJsonValue(m_stopSequence) : QJsonValue(QJsonValue::Null)},
        };
        out += frame("message_delta",
                     QJsonObject{{u"type"_s, u"message_delta"_s}, {u"delta"_s, delta}, {u"usage"_s, usage}});
        out += frame("message_stop", QJsonObject{{u"type"_s, u"message_stop"_s}});
        break;
    }
    }
    return out;
}

} // namespace gw
