#include "geminichatjson.h"

#include "toolcallids.h"

#include <QJsonArray>

namespace gw {

namespace {

qint64 count(const QJsonObject &object, QLatin1StringView key)
{
    const double value = object.value(key).toDouble(0);
    return value > 0 ? qint64(value) : 0;
}

QJsonObject errorObject(const QJsonValue &body)
{
    QJsonValue value = body;
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.size() != 1)
            return {};
        value = array.first();
    }
    return value.toObject().value(QLatin1StringView("error")).toObject();
}

} // namespace

ir::StopReason GeminiChatJson::stopReason(const QString &finishReason, bool sawFunctionCall)
{
    if (finishReason == u"STOP" || finishReason.isEmpty())
        return sawFunctionCall ? ir::StopReason::ToolUse : ir::StopReason::EndTurn;
    if (finishReason == u"MAX_TOKENS")
        return ir::StopReason::MaxTokens;
    static const QStringList filtered{
        QStringLiteral("SAFETY"),           QStringLiteral("RECITATION"),
        QStringLiteral("BLOCKLIST"),        QStringLiteral("PROHIBITED_CONTENT"),
        QStringLiteral("SPII"),             QStringLiteral("IMAGE_SAFETY"),
        QStringLiteral("IMAGE_PROHIBITED_CONTENT"), QStringLiteral("IMAGE_RECITATION"),
    };
    if (filtered.contains(finishReason))
        return ir::StopReason::ContentFilter;
    // The model broke the function-calling protocol: the answer is not usable
    // as a tool call nor as text.
    static const QStringList failed{
        QStringLiteral("MALFORMED_FUNCTION_CALL"), QStringLiteral("UNEXPECTED_TOOL_CALL"),
        QStringLiteral("TOO_MANY_TOOL_CALLS"),     QStringLiteral("MISSING_THOUGHT_SIGNATURE"),
    };
    if (failed.contains(finishReason))
        return ir::StopReason::Error;
    return ir::StopReason::Unknown;
}

QString GeminiChatJson::finishReason(ir::StopReason reason)
{
    switch (reason) {
    case ir::StopReason::EndTurn:
    case ir::StopReason::StopSequence:
    case ir::StopReason::ToolUse:
        return QStringLiteral("STOP");
    case ir::StopReason::MaxTokens:
        return QStringLiteral("MAX_TOKENS");
    case ir::StopReason::ContentFilter:
        return QStringLiteral("SAFETY");
    case ir::StopReason::Error:
        return QStringLiteral("OTHER");
    case ir::StopReason::Unknown:
        break;
    }
    // As the other families write it: an unknown reason is a plain stop.
    return QStringLiteral("STOP");
}

ir::Usage GeminiChatJson::usage(const QJsonObject &usageMetadata)
{
    ir::Usage usage;
    usage.present = !usageMetadata.isEmpty();
    const qint64 thoughts = count(usageMetadata, QLatin1StringView("thoughtsTokenCount"));
    // Prompts of Gemini's own tools (search results) are input it bills.
    usage.inputTokens = count(usageMetadata, QLatin1StringView("promptTokenCount"))
                        + count(usageMetadata, QLatin1StringView("toolUsePromptTokenCount"));
    usage.outputTokens = count(usageMetadata, QLatin1StringView("candidatesTokenCount")) + thoughts;
    usage.reasoningTokens = thoughts;
    usage.cacheReadTokens = count(usageMetadata, QLatin1StringView("cachedContentTokenCount"));
    return usage;
}

QJsonObject GeminiChatJson::usageMetadata(const ir::Usage &usage)
{
    const qint64 reasoning = qBound(qint64(0), usage.reasoningTokens, usage.outputTokens);
    QJsonObject object{
        {QStringLiteral("promptTokenCount"), usage.inputTokens},
        {QStringLiteral("candidatesTokenCount"), usage.outputTokens - reasoning},
        {QStringLiteral("totalTokenCount"), usage.inputTokens + usage.outputTokens},
    };
    if (reasoning > 0)
        object.insert(QStringLiteral("thoughtsTokenCount"), reasoning);
    if (usage.cacheReadTokens > 0)
        object.insert(QStringLiteral("cachedContentTokenCount"), usage.cacheReadTokens);
    return object;
}

QString GeminiChatJson::errorMessage(const QJsonValue &body)
{
    const QJsonObject error = errorObject(body);
    const QString message = error.value(QLatin1StringView("message")).toString();
    return message.isEmpty() ? error.value(QLatin1StringView("status")).toString() : message;
}

QString GeminiChatJson::errorStatus(const QJsonValue &body)
{
    return errorObject(body).value(QLatin1StringView("status")).toString();
}

QString GeminiChatJson::callId(int ordinal)
{
    return ToolCallIds::synthesize(QStringLiteral("call_"), ordinal);
}

} // namespace gw
