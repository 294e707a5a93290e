#pragma once

#include "catalog.h"
#include "routecandidate.h"

#include <QList>

#include <functional>
#include <random>

namespace gw {

class ChannelHealthRegistry;

// Orders the places a call may go: the model's own routes, highest priority
// first and weighted-random within a priority, then the routes of each
// fallback model the caller may use, in the order the policy lists them.
// Disabled channels, channels whose secret cannot be resolved, and channels
// whose breaker is open or that are parked by a 429 are left out.
class RoutePlanner
{
public:
    struct Plan
    {
        QList<RouteCandidate> candidates;
        int skippedUnhealthy = 0;  // left out because of their breaker or a 429
        int skippedUnusable = 0;   // disabled, or their secret is missing
    };

    using ModelAllowed = std::function<bool(const QString &modelId)>;

    static Plan plan(const Catalog &catalog, const ModelInfo &model, const ModelAllowed &allowed,
                     const ChannelHealthRegistry &health, std::mt19937_64 &rng, qint64 nowMs);

    // Weighted random order without replacement (Efraimidis-Spirakis): an
    // entry of weight w comes first with probability w / sum(w). Weight 0
    // entries go last, in their given order.
    static void weightedShuffle(QList<RouteCandidate> &group, std::mt19937_64 &rng);
};

} // namespace gw
