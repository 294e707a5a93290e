#include "routeplanner.h"

#include "channelhealthregistry.h"

#include <algorithm>

namespace gw {

RoutePlanner::RoutePlanner(const Catalog &catalog, const ModelInfo &model, ModelAllowed allowed,
                           const ChannelHealthRegistry &health, std::mt19937_64 &rng)
    : m_catalog(catalog)
    , m_model(model)
    , m_allowed(std::move(allowed))
    , m_health(health)
    , m_rng(rng)
{
}

bool RoutePlanner::enterNextSource()
{
    const ModelInfo *source = nullptr;
    Catalog::ModelPtr fallback;
    while (!source) {
        ++m_source;
        if (m_source == 0) {
            source = &m_model;
            break;
        }
        if (m_source > m_model.fallback.models.size())
            return false;
        const QString &id = m_model.fallback.models.at(m_source - 1);
        fallback = m_catalog.model(id);
        if (!fallback || !fallback->enabled || fallback->id == m_model.id || (m_allowed && !m_allowed(id)))
            continue;
        source = fallback.get(); // owned by the catalog, which outlives this planner
    }
    m_sourceModel = source;
    // A model from outside a catalog snapshot (a test, a dry run) has no
    // table yet; one is made for it.
    m_table = source->routeTable;
    if (!m_table) {
        QHash<QString, Catalog::ChannelPtr> channels;
        for (const ModelRoute &r : source->routes) {
            if (const auto c = m_catalog.channel(r.channelId))
                channels.insert(r.channelId, c);
        }
        m_table = std::make_shared<const ModelRouteTable>(ModelRouteTable::build(*source, channels));
    }
    m_group = 0;
    m_taken.clear();
    m_takenCount = 0;
    m_takenWeight = 0;
    m_nextUnweighted = 0;
    return true;
}

const ModelRouteTable::Entry *RoutePlanner::pick(const ModelRouteTable::Group &group)
{
    const size_t n = group.weighted.size();
    if (m_takenCount < n) {
        std::uniform_int_distribution<qint64> draw(0, group.prefix.back() - m_takenWeight - 1);
        qint64 u = draw(m_rng);
        size_t i = 0;
        if (m_takenCount == 0) {
            i = size_t(std::upper_bound(group.prefix.begin(), group.prefix.end(), u) - group.prefix.begin());
        } else {
            for (;; ++i) {
                if (m_taken[i])
                    continue;
                if (u < group.weighted[i].weight)
                    break;
                u -= group.weighted[i].weight;
            }
        }
        if (n > 1) {
            if (m_taken.empty())
                m_taken.assign(n, 0);
            m_taken[i] = 1;
        }
        ++m_takenCount;
        m_takenWeight += group.weighted[i].weight;
        return &group.weighted[i];
    }
    if (m_nextUnweighted < group.unweighted.size())
        return &group.unweighted[m_nextUnweighted++];
    return nullptr;
}

std::optional<RouteCandidate> RoutePlanner::next(qint64 nowMs)
{
    for (;;) {
        if (!m_sourceModel && !enterNextSource())
            return std::nullopt;
        const auto &groups = m_table->groups();
        if (m_group >= groups.size()) {
            m_sourceModel = nullptr;
            continue;
        }
        const ModelRouteTable::Group &group = groups[m_group];
        const ModelRouteTable::Entry *entry = pick(group);
        if (!entry) {
            ++m_group;
            m_taken.clear();
            m_takenCount = 0;
            m_takenWeight = 0;
            m_nextUnweighted = 0;
            continue;
        }
        const auto &channel = entry->channel;
        if (!channel || !channel->enabled || !channel->secretProblem.isEmpty()) {
            ++m_skippedUnusable;
            continue;
        }
        const auto breaker = m_health.peek(channel->id);
        if (breaker && !breaker->isAvailable(nowMs)) {
            ++m_skippedUnhealthy;
            continue;
        }
        RouteCandidate c;
        c.channel = channel;
        c.upstreamModel = entry->upstreamModel;
        c.modelId = m_sourceModel->id;
        c.priority = group.priority;
        c.weight = entry->weight;
        c.isFallback = m_source > 0;
        ++m_handedOut;
        return c;
    }
}

RoutePlanner::Plan RoutePlanner::plan(const Catalog &catalog, const ModelInfo &model, const ModelAllowed &allowed,
                                      const ChannelHealthRegistry &health, std::mt19937_64 &rng, qint64 nowMs)
{
    RoutePlanner planner(catalog, model, allowed, health, rng);
    Plan plan;
    while (auto c = planner.next(nowMs))
        plan.candidates.append(std::move(*c));
    plan.skippedUnhealthy = planner.skippedUnhealthy();
    plan.skippedUnusable = planner.skippedUnusable();
    return plan;
}

} // namespace gw
