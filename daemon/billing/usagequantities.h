#pragma once

#include <QtGlobal>

namespace gw {

// What a call used, in the units prices are quoted in. Input tokens here
// exclude the cached ones (billed at the cache-read price); output tokens
// include reasoning and thinking tokens.
struct UsageQuantities
{
    qint64 inputTokens = 0;
    qint64 cacheReadTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 outputTokens = 0;
    qint64 requests = 1;
    qint64 images = 0;
    qint64 mediaMilliseconds = 0; // seconds of audio or video, in thousandths
};

} // namespace gw
