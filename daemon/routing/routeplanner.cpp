#include "routeplanner.h"

#include "channelhealthregistry.h"

#include <algorithm>
#include <cmath>

namespace gw {

void RoutePlanner::weightedShuffle(QList<RouteCandidate> &group, std::mt19937_64 &rng)
{
    if (group.size() < 2)
        return;
    std::uniform_real_distribution<double> unit(std::nextafter(0.0, 1.0), 1.0);
    QList<QPair<double, qsizetype>> keys;
    keys.reserve(group.size());
    for (qsizetype i = 0; i < group.size(); ++i) {
        const int w = group.at(i).weight;
        // log(u)/w orders like u^(1/w) without underflow; weight 0 sorts last.
        const double key = w > 0 ? std::log(unit(rng)) / double(w) : -std::numeric_limits<double>::infinity();
        keys.append({key, i});
    }
    std::stable_sort(keys.begin(), keys.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QList<RouteCandidate> ordered;
    ordered.reserve(group.size());
    for (const auto &k : keys)
        ordered.append(group.at(k.second));
    group = std::move(ordered);
}

RoutePlanner::Plan RoutePlanner::plan(const Catalog &catalog, const ModelInfo &model, const ModelAllowed &allowed,
                                      const ChannelHealthRegistry &health, std::mt19937_64 &rng, qint64 nowMs)
{
    Plan plan;
    auto addRoutesOf = [&](const ModelInfo &m, bool isFallback) {
        QList<RouteCandidate> usable;
        for (const ModelRoute &r : m.routes) {
            const auto channel = catalog.channel(r.channelId);
            if (!channel || !channel->enabled || !channel->secretProblem.isEmpty()) {
                ++plan.skippedUnusable;
                continue;
            }
            const auto breaker = health.peek(channel->id);
            if (breaker && !breaker->isAvailable(nowMs)) {
                ++plan.skippedUnhealthy;
                continue;
            }
            RouteCandidate c;
            c.channel = channel;
            c.upstreamModel = r.upstreamModel.isEmpty() ? m.id : r.upstreamModel;
            c.modelId = m.id;
            c.priority = r.priority.value_or(channel->priority);
            c.weight = r.weight.value_or(channel->weight);
            c.isFallback = isFallback;
            usable.append(c);
        }
        std::stable_sort(usable.begin(), usable.end(),
                         [](const RouteCandidate &a, const RouteCandidate &b) { return a.priority > b.priority; });
        for (qsizetype start = 0; start < usable.size();) {
            qsizetype end = start;
            while (end < usable.size() && usable.at(end).priority == usable.at(start).priority)
                ++end;
            QList<RouteCandidate> group = usable.mid(start, end - start);
            weightedShuffle(group, rng);
            plan.candidates += group;
            start = end;
        }
    };
    addRoutesOf(model, false);
    for (const QString &fallbackId : model.fallback.models) {
        const auto fallback = catalog.model(fallbackId);
        if (!fallback || !fallback->enabled || fallback->id == model.id || (allowed && !allowed(fallbackId)))
            continue;
        addRoutesOf(*fallback, true);
    }
    return plan;
}

} // namespace gw
