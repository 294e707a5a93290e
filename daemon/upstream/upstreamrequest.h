#pragma once

#include "upstreamheaders.h"
#include "upstreamtimeouts.h"

#include <QByteArray>

namespace gw {

// One HTTP request to a provider.
//
// Headers are sent as given, except those that describe the connection or
// the framing, which the client owns: Content-Length, Transfer-Encoding,
// Connection, Keep-Alive, Proxy-Connection, TE, Upgrade and Expect are
// dropped. A header whose name is not an HTTP token or whose value holds CR,
// LF or NUL fails the call (UpstreamFailure::Other) rather than let it
// inject lines. Without an Accept header libcurl sends "Accept: */*"; without
// a Content-Type none is sent (libcurl would otherwise claim a form).
struct UpstreamRequest
{
    QByteArray method = QByteArrayLiteral("POST");
    QByteArray url; // absolute http:// or https://
    UpstreamHeaders headers;
    QByteArray body;
    UpstreamTimeouts timeouts;
    // PEM file of the certificate authorities an https:// upstream's
    // certificate must chain to; empty: the system's (libcurl's default).
    // For self-hosted upstreams behind a private CA. Verification is never off.
    QByteArray caFile;
};

} // namespace gw
