#pragma once

#include "limitscope.h"

#include <QString>

namespace gw {

// What RateLimiter::admit answered. The request and token figures are those
// of the tightest subject (the fewest left), which is what the
// x-ratelimit-* headers report; a limit of 0 means no subject limits that
// measure. Reset times are milliseconds until that bucket is full again.
struct RateDecision
{
    enum class Measure { None, Requests, Tokens };

    bool allowed = true;

    qint64 requestLimit = 0;
    qint64 requestRemaining = 0;
    qint64 requestResetMs = 0;

    qint64 tokenLimit = 0;
    qint64 tokenRemaining = 0;
    qint64 tokenResetMs = 0;

    // When refused: the subject and measure that must wait longest, and how
    // long until the whole request would fit (the Retry-After).
    LimitScope refusedScope = LimitScope::Global;
    QString refusedTarget;
    Measure refusedMeasure = Measure::None;
    qint64 retryAfterMs = 0;

    bool limitsRequests() const { return requestLimit > 0; }
    bool limitsTokens() const { return tokenLimit > 0; }
};

} // namespace gw
