#pragma once

#include "upstreamfailure.h"
#include "upstreamheaders.h"

#include <QByteArray>
#include <QString>

namespace gw {

// How an upstream call ended, handed to onDone.
struct UpstreamResult
{
    UpstreamFailure failure = UpstreamFailure::None;
    // Human-readable; never contains request headers, the URL's query or
    // user info, or the body.
    QString message;
    int status = 0;          // final HTTP status, 0 when no final head arrived
    UpstreamHeaders headers; // final response head, names lower-case, values trimmed
    qint64 bytesReceived = 0; // body bytes delivered to onData
    qint64 firstByteUs = -1;  // start() to the first response byte, -1 if none
    qint64 totalUs = 0;       // start() to the end
    QByteArray remoteAddress; // "ip:port" ("[v6]:port") when a connection was tried
    int httpVersion = 0;      // 10, 11, 2 (HTTP/2), 3 (HTTP/3); 0 unknown
    int newConnections = 0;   // connections this call had to open (0 = reused one)
    int curlCode = 0;         // libcurl's CURLcode, 0 for success or a failure of this client's own
};

} // namespace gw
