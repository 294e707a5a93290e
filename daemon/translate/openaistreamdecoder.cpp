#include "openaistreamdecoder.h"

#include "openaichatjson.h"
#include "stopreasons.h"
#include "toolcallids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gw {

using Kind = ir::ContentPart::Kind;
using EventKind = ir::StreamEvent::Kind;

void OpenAiStreamDecoder::handle(const SseEventParser::Event &event, QList<ir::StreamEvent> *out)
{
    if (m_done || !event.hasData)
        return;
    if (event.isDone()) {
        // [DONE] completes the stream even when no finish_reason came.
        if (!m_started)
            start({}, out);
        closeBlock(out);
        if (!m_finished) {
            ir::StreamEvent finish;
            finish.kind = EventKind::Finish;
            finish.stopReason = ir::StopReason::Unknown;
            if (m_earlyUsage)
                finish.usage = *m_earlyUsage;
            out->append(finish);
            m_finished = true;
        }
        ir::StreamEvent end;
        end.kind = EventKind::End;
        out->append(end);
        m_ended = m_done = true;
        return;
    }
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
    handleChunk(doc.object(), out);
}

void OpenAiStreamDecoder::start(const QJsonObject &chunk, QList<ir::StreamEvent> *out)
{
    ir::StreamEvent event;
    event.kind = EventKind::Start;
    event.id = chunk.value("id"_L1).toString();
    event.model = chunk.value("model"_L1).toString();
    event.createdSeconds = chunk.value("created"_L1).toInteger();
    out->append(event);
    m_started = true;
}

void OpenAiStreamDecoder::openBlock(const ir::ContentPart &part, QList<ir::StreamEvent> *out)
{
    closeBlock(out);
    ir::StreamEvent event;
    event.kind = EventKind::BlockStart;
    event.index = m_openBlock = m_nextBlock++;
    event.part = part;
    m_openKind = part.kind;
    out->append(event);
}

void OpenAiStreamDecoder::closeBlock(QList<ir::StreamEvent> *out)
{
    if (m_openBlock < 0)
        return;
    ir::StreamEvent event;
    event.kind = EventKind::BlockStop;
    event.index = m_openBlock;
    event.part.kind = m_openKind;
    out->append(event);
    m_openBlock = -1;
    m_openTool = -1;
}

void OpenAiStreamDecoder::textDelta(Kind kind, const QString &text, QList<ir::StreamEvent> *out)
{
    if (text.isEmpty())
        return;
    if (m_openBlock < 0 || m_openKind != kind) {
        ir::ContentPart part;
        part.kind = kind;
        openBlock(part, out);
    }
    ir::StreamEvent event;
    event.kind = EventKind::TextDelta;
    event.index = m_openBlock;
    event.text = text;
    out->append(event);
}

void OpenAiStreamDecoder::handleChunk(const QJsonObject &chunk, QList<ir::StreamEvent> *out)
{
    const QJsonValue errorValue = chunk.value("error"_L1);
    if (!errorValue.isUndefined() && !errorValue.isNull()) {
        const QJsonObject error = errorValue.toObject();
        ir::StreamEvent event;
        event.kind = EventKind::Error;
        event.message = errorValue.isString() ? errorValue.toString() : error.value("message"_L1).toString();
        event.code = error.value("code"_L1).toString();
        out->append(event);
        m_done = true;
        return;
    }
    if (!m_started)
        start(chunk, out);

    // "usage": null rides on every chunk of an include_usage stream.
    std::optional<ir::Usage> usage;
    if (chunk.value("usage"_L1).isObject())
        usage = OpenAiChatJson::usageFromJson(chunk.value("usage"_L1).toObject());

    bool finishedHere = false;
    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    for (const QJsonValue &c : choices) {
        const QJsonObject choice = c.toObject();
        if (choice.value("index"_L1).toInt(0) != 0 || m_finished)
            continue;
        const QJsonObject delta = choice.value("delta"_L1).toObject();
        QString reasoning = delta.value("reasoning_content"_L1).toString();
        if (reasoning.isEmpty())
            reasoning = delta.value("reasoning"_L1).toString();
        textDelta(Kind::Thinking, reasoning, out);
        textDelta(Kind::Text, delta.value("content"_L1).toString(), out);
        textDelta(Kind::Text, delta.value("refusal"_L1).toString(), out);

        const QJsonArray calls = delta.value("tool_calls"_L1).toArray();
        for (qsizetype i = 0; i < calls.size(); ++i) {
            const QJsonObject call = calls.at(i).toObject();
            const int toolIndex = call.value("index"_L1).toInt(int(i));
            const QJsonObject function = call.value("function"_L1).toObject();
            if (!m_seenTools.contains(toolIndex)) {
                m_seenTools.insert(toolIndex);
                ir::ContentPart part;
                part.kind = Kind::ToolCall;
                part.toolCallId = call.value("id"_L1).toString();
                if (part.toolCallId.isEmpty())
                    part.toolCallId = ToolCallIds::synthesize(u"call_"_s, toolIndex);
                part.toolName = function.value("name"_L1).toString();
                openBlock(part, out);
                m_openTool = toolIndex;
            } else if (m_openTool != toolIndex) {
                fail(u"the arguments of tool call %1 go on after another block began"_s.arg(toolIndex));
                return;
            }
            const QString arguments = function.value("arguments"_L1).toString();
            if (!arguments.isEmpty()) {
                ir::StreamEvent event;
                event.kind = EventKind::ArgumentsDelta;
                event.index = m_openBlock;
                event.arguments = arguments.toUtf8();
                out->append(event);
            }
        }

        const QJsonValue finishReason = choice.value("finish_reason"_L1);
        if (finishReason.isString()) {
            closeBlock(out);
            ir::StreamEvent event;
            event.kind = EventKind::Finish;
            event.stopReason = StopReasons::fromOpenAi(finishReason.toString());
            if (usage)
                event.usage = *usage;
            else if (m_earlyUsage)
                event.usage = *m_earlyUsage;
            out->append(event);
            m_finished = finishedHere = true;
        }
    }
    if (usage && !finishedHere) {
        if (m_finished) {
            ir::StreamEvent event;
            event.kind = EventKind::Usage;
            event.usage = *usage;
            out->append(event);
        } else {
            m_earlyUsage = usage;
        }
    }
}

} // namespace gw
