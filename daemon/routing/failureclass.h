#pragma once

#include <QString>

namespace gw {

// How an upstream attempt ended, as routing sees it. The names of the
// fallback triggers a model's policy may list (connect, timeout, 5xx, 429,
// auth) are the wire names of the matching classes.
enum class FailureClass {
    None,      // success
    Connect,   // no connection, or closed before any answer
    Timeout,   // connect, first-byte, idle or total timeout
    Server,    // 5xx, or 404 for a model the channel should serve (a channel fault)
    RateLimit, // 429
    Auth,      // 401/403: the channel's own credentials were refused
    Protocol,  // malformed or cut answer
    Client,    // 4xx caused by the caller's request: never retried elsewhere
};

QString failureClassName(FailureClass c);
// The trigger name in fallback.on that allows moving on after `c`, or empty.
QString fallbackTriggerFor(FailureClass c);
// Whether the failure says something about the channel's health.
bool countsAgainstChannel(FailureClass c);

} // namespace gw
