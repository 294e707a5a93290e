#include "streamusage.h"

namespace gw {

void StreamUsage::merge(ir::Usage *into, const ir::Usage &later)
{
    if (!later.present)
        return;
    into->present = true;
    if (later.inputTokens > 0)
        into->inputTokens = later.inputTokens;
    if (later.outputTokens > 0)
        into->outputTokens = later.outputTokens;
    if (later.cacheReadTokens > 0)
        into->cacheReadTokens = later.cacheReadTokens;
    if (later.cacheWriteTokens > 0)
        into->cacheWriteTokens = later.cacheWriteTokens;
    if (later.reasoningTokens > 0)
        into->reasoningTokens = later.reasoningTokens;
}

} // namespace gw
