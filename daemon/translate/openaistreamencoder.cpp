#include "openaistreamencoder.h"

#include "http/sseevent.h"
#include "openaichatjson.h"
#include "stopreasons.h"
#include "streamusage.h"
#include "toolcallids.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gw {

using Kind = ir::ContentPart::Kind;
using EventKind = ir::StreamEvent::Kind;

namespace {

QByteArray frame(const QJsonObject &object)
{
    return SseEvent::format(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

OpenAiStreamEncoder::OpenAiStreamEncoder(const QString &publicModel, bool includeUsage)
    : m_model(publicModel)
    , m_includeUsage(includeUsage)
{
}

void OpenAiStreamEncoder::ensureStarted(const ir::StreamEvent *start)
{
    if (m_started)
        return;
    m_started = true;
    m_id = start && !start->id.isEmpty() ? start->id : OpenAiChatJson::newCompletionId();
    m_created = start && start->createdSeconds > 0 ? start->createdSeconds : QDateTime::currentSecsSinceEpoch();
}

QJsonObject OpenAiStreamEncoder::chunkHeader() const
{
    return QJsonObject{
        {u"id"_s, m_id},
        {u"object"_s, u"chat.completion.chunk"_s},
        {u"created"_s, m_created},
        {u"model"_s, m_model},
    };
}

QByteArray OpenAiStreamEncoder::deltaChunk(const QJsonObject &delta, const QJsonValue &finishReason) const
{
    QJsonObject chunk = chunkHeader();
    chunk.insert(u"choices"_s, QJsonArray{QJsonObject{
                                   {u"index"_s, 0},
                                   {u"delta"_s, delta},
                                   {u"logprobs"_s, QJsonValue(QJsonValue::Null)},
                                   {u"finish_reason"_s, finishReason},
                               }});
    // As OpenAI does when usage was asked for: a client may expect the key.
    if (m_includeUsage)
        chunk.insert(u"usage"_s, QJsonValue(QJsonValue::Null));
    return frame(chunk);
}

QByteArray OpenAiStreamEncoder::encode(const ir::StreamEvent &event)
{
    const QJsonValue noFinish(QJsonValue::Null);
    switch (event.kind) {
    case EventKind::Start:
        ensureStarted(&event);
        StreamUsage::merge(&m_usage, event.usage);
        return deltaChunk(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, QString()}}, noFinish);
    case EventKind::BlockStart: {
        ensureStarted(nullptr);
        m_blockKinds.insert(event.index, event.part.kind);
        if (event.part.kind != Kind::ToolCall)
            return {};
        const int k = m_tools++;
        m_toolIndex.insert(event.index, k);
        const QString id = event.part.toolCallId.isEmpty() ? ToolCallIds::synthesize(u"call_"_s, k) : event.part.toolCallId;
        const QJsonObject call{
            {u"index"_s, k},
            {u"id"_s, id},
            {u"type"_s, u"function"_s},
            {u"function"_s, QJsonObject{{u"name"_s, event.part.toolName}, {u"arguments"_s, QString()}}},
        };
        return deltaChunk(QJsonObject{{u"tool_calls"_s, QJsonArray{call}}}, noFinish);
    }
    case EventKind::TextDelta: {
        ensureStarted(nullptr);
        const bool thinking = m_blockKinds.value(event.index, Kind::Text) == Kind::Thinking;
        return deltaChunk(QJsonObject{{thinking ? u"reasoning_content"_s : u"content"_s, event.text}}, noFinish);
    }
    case EventKind::ArgumentsDelta: {
        ensureStarted(nullptr);
        const QJsonObject call{
            {u"index"_s, m_toolIndex.value(event.index, 0)},
            {u"function"_s, QJsonObject{{u"arguments"_s, QString::fromUtf8(event.arguments)}}},
        };
        return deltaChunk(QJsonObject{{u"tool_calls"_s, QJsonArray{call}}}, noFinish);
    }
    case EventKind::BlockStop:
        return {};
    case EventKind::Finish:
        ensureStarted(nullptr);
        StreamUsage::merge(&m_usage, event.usage);
        return deltaChunk(QJsonObject(), StopReasons::toOpenAi(event.stopReason));
    case EventKind::Usage:
        StreamUsage::merge(&m_usage, event.usage);
        return {};
    case EventKind::End: {
        ensureStarted(nullptr);
        QByteArray out;
        if (m_includeUsage && m_usage.present) {
            QJsonObject chunk = chunkHeader();
            chunk.insert(u"choices"_s, QJsonArray());
            chunk.insert(u"usage"_s, OpenAiChatJson::usageToJson(m_usage));
            out += frame(chunk);
        }
        out += SseEvent::format("[DONE]");
        return out;
    }
    case EventKind::Error: {
        QJsonObject error{
            {u"message"_s, event.message},
            {u"type"_s, u"server_error"_s},
            {u"param"_s, QJsonValue(QJsonValue::Null)},
            {u"code"_s, event.code.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(event.code)},
        };
        return frame(QJsonObject{{u"error"_s, error}});
    }
    }
    return {};
}

} // namespace gw
