#pragma once

#include "api/openai/tokenestimator.h"
#include "translate/chatir.h"

namespace gw {

// The prompt of a decoded chat call measured as TokenEstimator measures an
// OpenAI body: system text, every message, image, tool call and tool result,
// and the tool definitions, so that holds and token limits treat the three
// families alike.
class ChatPromptEstimate
{
public:
    static TokenEstimator of(const ir::ChatRequest &request);
};

} // namespace gw
