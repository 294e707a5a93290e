#pragma once

#include "upstreamheaders.h"
#include "upstreamresult.h"

#include <QByteArray>

#include <functional>

namespace gw {

// What a caller of UpstreamClient::start() hears back, always on the
// client's thread. Any of them may call cancel(), pauseReceiving(),
// resumeReceiving() or UpstreamClient::start(), and drop its handle.
struct UpstreamCallbacks
{
    // Once, when the head of the final response is complete (interim 1xx
    // responses are skipped), before any onData.
    std::function<void(int status, const UpstreamHeaders &headers)> onHead;
    // Body bytes as they arrive; the array is the caller's to keep.
    std::function<void(const QByteArray &chunk)> onData;
    // Exactly once, unless cancel() came first or the client was destroyed.
    std::function<void(const UpstreamResult &result)> onDone;
};

} // namespace gw
