#pragma once

#include "catalog.h"

namespace gw {

// One place a call may be sent: a channel and the model name it knows the
// call by, on behalf of `modelId` (the requested model or one of its
// fallbacks).
struct RouteCandidate
{
    Catalog::ChannelPtr channel;
    QString upstreamModel;
    QString modelId;
    int priority = 0;
    int weight = 1;
    bool isFallback = false;
};

} // namespace gw
