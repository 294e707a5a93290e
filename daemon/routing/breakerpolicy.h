#pragma once

namespace gw {

// When a channel's circuit breaker opens and how long it stays open.
struct BreakerPolicy
{
    int consecutiveFailures = 5;   // open after this many failures in a row
    int windowSize = 20;           // ... or when, over the last windowSize outcomes,
    int minimumSamples = 10;       // (with at least this many recorded)
    double failureRatio = 0.5;     // at least this share failed
    int cooldownMs = 15000;        // first open period; doubles on each failed probe
    int maxCooldownMs = 300000;
    int defaultRetryAfterMs = 1000; // a 429 without Retry-After parks the channel this long
    int maxRetryAfterMs = 600000;
};

} // namespace gw
