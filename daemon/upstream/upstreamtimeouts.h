#pragma once

namespace gw {

// Limits of one upstream call, in milliseconds; 0 means none.
struct UpstreamTimeouts
{
    // TCP and TLS (and proxy) connect. With 0, libcurl's own default of 300 s applies.
    int connectMs = 10000;
    // From the last request byte handed to the connection to the first byte of the response.
    int firstByteMs = 120000;
    // Longest silence once the response started (between body bytes), and
    // also while the upstream does not take request body bytes.
    int idleMs = 120000;
    // The whole call, a channel's "timeout_ms". Time spent paused by
    // back-pressure counts.
    int totalMs = 0;
};

} // namespace gw
