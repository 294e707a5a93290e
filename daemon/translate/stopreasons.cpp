#include "stopreasons.h"

using namespace Qt::StringLiterals;

namespace gw {

ir::StopReason StopReasons::fromOpenAi(const QString &finishReason)
{
    if (finishReason == "stop"_L1)
        return ir::StopReason::EndTurn;
    if (finishReason == "length"_L1)
        return ir::StopReason::MaxTokens;
    if (finishReason == "tool_calls"_L1 || finishReason == "function_call"_L1)
        return ir::StopReason::ToolUse;
    if (finishReason == "content_filter"_L1)
        return ir::StopReason::ContentFilter;
    return ir::StopReason::Unknown;
}

QString StopReasons::toOpenAi(ir::StopReason reason)
{
    switch (reason) {
    case ir::StopReason::MaxTokens:
        return u"length"_s;
    case ir::StopReason::ToolUse:
        return u"tool_calls"_s;
    case ir::StopReason::ContentFilter:
        return u"content_filter"_s;
    case ir::StopReason::EndTurn:
    case ir::StopReason::StopSequence:
    case ir::StopReason::Error:
    case ir::StopReason::Unknown:
        break;
    }
    return u"stop"_s;
}

ir::StopReason StopReasons::fromAnthropic(const QString &stopReason)
{
    if (stopReason == "end_turn"_L1)
        return ir::StopReason::EndTurn;
    if (stopReason == "max_tokens"_L1 || stopReason == "model_context_window_exceeded"_L1)
        return ir::StopReason::MaxTokens;
    if (stopReason == "stop_sequence"_L1)
        return ir::StopReason::StopSequence;
    if (stopReason == "tool_use"_L1)
        return ir::StopReason::ToolUse;
    if (stopReason == "refusal"_L1)
        return ir::StopReason::ContentFilter;
    // pause_turn: a server-tool loop paused; to a caller of another family
    // the turn simply ended.
    if (stopReason == "pause_turn"_L1)
        return ir::StopReason::EndTurn;
    return ir::StopReason::Unknown;
}

QString StopReasons::toAnthropic(ir::StopReason reason)
{
    switch (reason) {
    case ir::StopReason::MaxTokens:
        return u"max_tokens"_s;
    case ir::StopReason::StopSequence:
        return u"stop_sequence"_s;
    case ir::StopReason::ToolUse:
        return u"tool_use"_s;
    case ir::StopReason::ContentFilter:
        return u"refusal"_s;
    case ir::StopReason::EndTurn:
    case ir::StopReason::Error:
    case ir::StopReason::Unknown:
        break;
    }
    return u"end_turn"_s;
}

} // namespace gw
