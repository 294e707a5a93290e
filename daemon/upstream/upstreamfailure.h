#pragma once

#include <QString>

namespace gw {

// Why an upstream call did not produce a complete HTTP response. An HTTP
// error status is not a failure: the call succeeded and the status says so.
enum class UpstreamFailure {
    None,
    // No response arrived: DNS, refused, reset or closed before any response
    // byte, TLS handshake or certificate failure, proxy failure. Another
    // channel may be tried.
    Connect,
    // Connect, first-byte, idle or total timeout; the message says which.
    Timeout,
    // The upstream answered, but not with a complete, well-formed HTTP
    // response: malformed head, body shorter than Content-Length, chunked
    // stream not terminated, connection closed or reset mid-response.
    Protocol,
    // Never reported through onDone (cancel() suppresses it); there for
    // callers that keep their own state.
    Cancelled,
    // Anything else: a request this client refuses (bad URL, header or
    // method), out of memory, an internal libcurl error.
    Other,
};

// "none", "connect", "timeout", "protocol", "cancelled", "other": for logs and metrics labels.
QString upstreamFailureName(UpstreamFailure failure);

} // namespace gw
