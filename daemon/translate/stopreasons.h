#pragma once

#include "chatir.h"

#include <QString>

namespace gw {

// Stop reasons between each family's names and the IR's. Names a family
// does not know map to Unknown, which every family writes as its plain
// "stopped" value: an answer is never refused for its stop reason.
class StopReasons
{
public:
    // OpenAI finish_reason: stop, length, tool_calls, content_filter
    // (and the deprecated function_call).
    static ir::StopReason fromOpenAi(const QString &finishReason);
    // OpenAI has no "stopped at a stop sequence" reason: that is "stop".
    static QString toOpenAi(ir::StopReason reason);

    // Anthropic stop_reason: end_turn, max_tokens, stop_sequence, tool_use,
    // refusal, pause_turn, model_context_window_exceeded.
    static ir::StopReason fromAnthropic(const QString &stopReason);
    static QString toAnthropic(ir::StopReason reason);
};

} // namespace gw
