#include "geministreamencoder.h"

#include "geminichatjson.h"
#include "streamusage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

GeminiStreamEncoder::GeminiStreamEncoder(const QString &publicModel, bool sse)
    : m_publicModel(publicModel), m_sse(sse)
{
}

QByteArray GeminiStreamEncoder::chunk(const QJsonArray &parts, const QString &finishReason) const
{
    QJsonObject candidate{
        {QStringLiteral("content"), QJsonObject{{QStringLiteral("role"), QStringLiteral("model")},
                                                {QStringLiteral("parts"), parts}}},
        {QStringLiteral("index"), 0},
    };
    QJsonObject response{{QStringLiteral("modelVersion"), m_publicModel}};
    if (!finishReason.isEmpty()) {
        candidate.insert(QStringLiteral("finishReason"), finishReason);
        if (m_usage.present)
            response.insert(QStringLiteral("usageMetadata"), GeminiChatJson::usageMetadata(m_usage));
    }
    response.insert(QStringLiteral("candidates"), QJsonArray{candidate});
    if (!m_id.isEmpty())
        response.insert(QStringLiteral("responseId"), m_id);
    return QJsonDocument(response).toJson(QJsonDocument::Compact);
}

QByteArray GeminiStreamEncoder::frame(const QByteArray &json)
{
    ++m_chunks;
    if (m_sse)
        return "data: " + json + "\r\n\r\n";
    return (m_chunks == 1 ? QByteArrayLiteral("[") : QByteArrayLiteral(",\r\n")) + json;
}

QByteArray GeminiStreamEncoder::close()
{
    m_closed = true;
    if (m_sse)
        return {};
    return m_chunks == 0 ? QByteArrayLiteral("[]") : QByteArrayLiteral("]");
}

QByteArray GeminiStreamEncoder::encode(const ir::StreamEvent &event)
{
    using Kind = ir::StreamEvent::Kind;
    if (m_closed)
        return {};
    switch (event.kind) {
    case Kind::Start:
        m_id = event.id;
        StreamUsage::merge(&m_usage, event.usage);
        return {};
    case Kind::BlockStart: {
        Block block;
        block.kind = event.part.kind;
        block.name = event.part.toolName;
        block.redacted = event.part.redacted;
        m_blocks.insert(event.index, block);
        return {};
    }
    case Kind::TextDelta: {
        const auto it = m_blocks.constFind(event.index);
        if (event.text.isEmpty())
            return {};
        QJsonObject part{{QStringLiteral("text"), event.text}};
        if (it != m_blocks.constEnd() && it->kind == ir::ContentPart::Kind::Thinking)
            part.insert(QStringLiteral("thought"), true);
        return frame(chunk(QJsonArray{part}));
    }
    case Kind::ArgumentsDelta:
        m_blocks[event.index].arguments.append(event.arguments);
        return {};
    case Kind::BlockStop: {
        const Block block = m_blocks.take(event.index);
        if (block.kind == ir::ContentPart::Kind::Thinking) {
            // A thought's signature, for a caller that sends the turn back
            // (Gemini puts it on a part of its own at the thought's end).
            if (event.part.signature.isEmpty() || block.redacted)
                return {};
            const QJsonObject part{{QStringLiteral("text"), QString()},
                                   {QStringLiteral("thought"), true},
                                   {QStringLiteral("thoughtSignature"), QString::fromLatin1(event.part.signature)}};
            return frame(chunk(QJsonArray{part}));
        }
        if (block.kind != ir::ContentPart::Kind::ToolCall)
            return {};
        // Gemini sends a function call whole: the arguments wait for the
        // block's end. Arguments that do not parse (a model's broken JSON)
        // cannot be an object; the call still reaches the caller.
        const QJsonObject args = QJsonDocument::fromJson(block.arguments).object();
        const QJsonObject call{{QStringLiteral("name"), block.name}, {QStringLiteral("args"), args}};
        return frame(chunk(QJsonArray{QJsonObject{{QStringLiteral("functionCall"), call}}}));
    }
    case Kind::Finish:
        m_finished = true;
        m_stopReason = event.stopReason;
        StreamUsage::merge(&m_usage, event.usage);
        return {};
    case Kind::Usage:
        StreamUsage::merge(&m_usage, event.usage);
        return {};
    case Kind::End: {
        // The last chunk carries an empty text part, as Gemini's own does:
        // some SDK versions refuse a candidate whose content has no parts.
        const QString reason = GeminiChatJson::finishReason(m_finished ? m_stopReason : ir::StopReason::EndTurn);
        const QByteArray out = frame(chunk(QJsonArray{QJsonObject{{QStringLiteral("text"), QString()}}}, reason));
        return out + close();
    }
    case Kind::Error: {
        // Gemini's own codes for an overloaded or rate-limited model, so that
        // SDKs retry as they would; anything else is an internal error.
        int code = 500;
        QString status = QStringLiteral("INTERNAL");
        if (event.code == u"overloaded_error" || event.code == u"UNAVAILABLE") {
            code = 503;
            status = QStringLiteral("UNAVAILABLE");
        } else if (event.code == u"rate_limit_error" || event.code == u"RESOURCE_EXHAUSTED") {
            code = 429;
            status = QStringLiteral("RESOURCE_EXHAUSTED");
        }
        const QJsonObject error{{QStringLiteral("code"), code},
                                {QStringLiteral("message"), event.message},
                                {QStringLiteral("status"), status}};
        const QByteArray out = frame(QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact));
        return out + close();
    }
    }
    return {};
}

} // namespace gw
