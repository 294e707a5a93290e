#pragma once

#include "chatir.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace gw {

// What Gemini's answers share between the whole response and its stream
// chunks (both are GenerateContentResponse objects): finish reasons, usage
// metadata, error bodies and the ids the gateway makes up for function calls.
class GeminiChatJson
{
public:
    // A finishReason as a stop reason. Gemini says STOP for an answer that
    // ends in function calls too, and for a stop sequence (it does not say
    // which one), so `sawFunctionCall` turns STOP into ToolUse.
    static ir::StopReason stopReason(const QString &finishReason, bool sawFunctionCall);
    static QString finishReason(ir::StopReason reason);

    // usageMetadata as IR usage: thoughts are billed as output, so they are
    // part of outputTokens; the cached part is inside promptTokenCount.
    static ir::Usage usage(const QJsonObject &usageMetadata);
    static QJsonObject usageMetadata(const ir::Usage &usage);

    // The message of {"error": {"code", "message", "status"}}, or of an array
    // wrapping one (how Gemini reports an error to a streamed call); empty
    // when `body` is neither.
    static QString errorMessage(const QJsonValue &body);
    static QString errorStatus(const QJsonValue &body);

    // Gemini function calls carry no id (or, from some models, an optional
    // one): the gateway numbers them in order of appearance ("call_0", ...)
    // so that the other families, which pair calls and results by id, can.
    static QString callId(int ordinal);
};

} // namespace gw
