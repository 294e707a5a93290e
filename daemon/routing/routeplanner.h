#pragma once

#include "catalog.h"
#include "routecandidate.h"
#include "modelroutetable.h"

#include <QList>

#include <functional>
#include <optional>
#include <random>
#include <vector>

namespace gw {

class ChannelHealthRegistry;

// Hands out the places a call may go, one at a time: the model's own routes,
// highest priority first and weighted-random within a priority (weight 0
// last, in route order), then the routes of each fallback model the caller
// may use, in the order the policy lists them. Disabled channels, channels
// whose secret cannot be resolved, and channels whose breaker is open or
// that are parked by a 429 are passed over when their turn comes.
//
// Lazy because most calls take the first route: picking it is one binary
// search over the model's ModelRouteTable, however many routes the model has.
// Each further pick draws from what is left in proportion to weight, which
// orders a priority group exactly as a weighted shuffle of its usable routes
// would.
//
// The catalog, the health registry and the random source must outlive the
// planner.
class RoutePlanner
{
public:
    using ModelAllowed = std::function<bool(const QString &modelId)>;

    RoutePlanner(const Catalog &catalog, const ModelInfo &model, ModelAllowed allowed, const ChannelHealthRegistry &health,
                 std::mt19937_64 &rng);

    // The next candidate, or nullopt when every route has been handed out or
    // passed over.
    std::optional<RouteCandidate> next(qint64 nowMs);

    int handedOut() const { return m_handedOut; }
    int skippedUnhealthy() const { return m_skippedUnhealthy; } // breaker open or parked by a 429
    int skippedUnusable() const { return m_skippedUnusable; }   // missing, disabled, or its secret is missing

    // Every candidate at once, in order: tests and dry runs.
    struct Plan
    {
        QList<RouteCandidate> candidates;
        int skippedUnhealthy = 0;
        int skippedUnusable = 0;
    };
    static Plan plan(const Catalog &catalog, const ModelInfo &model, const ModelAllowed &allowed,
                     const ChannelHealthRegistry &health, std::mt19937_64 &rng, qint64 nowMs);

private:
    bool enterNextSource();
    const ModelRouteTable::Entry *pick(const ModelRouteTable::Group &group);

    const Catalog &m_catalog;
    const ModelInfo &m_model;
    ModelAllowed m_allowed;
    const ChannelHealthRegistry &m_health;
    std::mt19937_64 &m_rng;

    int m_source = -1;                 // -1: the model itself; i: its i-th fallback
    const ModelInfo *m_sourceModel = nullptr;
    std::shared_ptr<const ModelRouteTable> m_table;
    size_t m_group = 0;
    std::vector<char> m_taken;         // of the group's weighted entries
    size_t m_takenCount = 0;
    qint64 m_takenWeight = 0;
    size_t m_nextUnweighted = 0;

    int m_handedOut = 0;
    int m_skippedUnhealthy = 0;
    int m_skippedUnusable = 0;
};

} // namespace gw
