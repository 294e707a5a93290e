#pragma once

#include "upstreamfailure.h"

namespace gw {

// The one place where libcurl's result codes become UpstreamFailure.
// `code` is a CURLcode; `responseStarted` says whether any response byte
// arrived, which separates "the upstream never answered" (Connect: safe to
// try another channel) from "the answer broke off" (Protocol).
UpstreamFailure upstreamFailureForCurl(int code, bool responseStarted);

} // namespace gw
