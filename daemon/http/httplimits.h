#pragma once

#include <QtGlobal>

namespace gw {

// What the HTTP front allows a client before a handler ever sees the request.
struct HttpLimits
{
    qint64 maxBodyBytes = 32LL * 1024 * 1024;  // 413 beyond, before buffering
    qsizetype maxHeaderBytes = 32 * 1024;      // request line + headers; 431 beyond
    int maxHeaderCount = 128;                  // 431 beyond
    int headerTimeoutMs = 10000;               // first byte to end of headers (slow headers)
    int bodyTimeoutMs = 30000;                 // longest silence inside a body
    int idleTimeoutMs = 65000;                 // keep-alive connection with no request
    int sendTimeoutMs = 60000;                 // longest a client may leave our output unread
    qsizetype maxPipelinedBytes = 64 * 1024;   // read ahead while a response is pending
    int maxConnectionsPerWorker = 20000;
};

} // namespace gw
