#include "modelroutetable.h"

#include "modelinfo.h"

#include <algorithm>

namespace gw {

ModelRouteTable ModelRouteTable::build(const ModelInfo &model, const QHash<QString, std::shared_ptr<const ChannelInfo>> &channels)
{
    struct Resolved
    {
        Entry entry;
        int priority = 0;
    };
    std::vector<Resolved> resolved;
    resolved.reserve(size_t(model.routes.size()));
    for (const ModelRoute &r : model.routes) {
        Resolved x;
        x.entry.channel = channels.value(r.channelId);
        x.entry.upstreamModel = r.upstreamModel.isEmpty() ? model.id : r.upstreamModel;
        x.priority = r.priority.value_or(x.entry.channel ? x.entry.channel->priority : 0);
        x.entry.weight = qMax(0, r.weight.value_or(x.entry.channel ? x.entry.channel->weight : 0));
        resolved.push_back(std::move(x));
    }
    std::stable_sort(resolved.begin(), resolved.end(), [](const Resolved &a, const Resolved &b) { return a.priority > b.priority; });
    ModelRouteTable table;
    for (Resolved &x : resolved) {
        if (table.m_groups.empty() || table.m_groups.back().priority != x.priority) {
            table.m_groups.emplace_back();
            table.m_groups.back().priority = x.priority;
        }
        Group &g = table.m_groups.back();
        if (x.entry.weight > 0) {
            g.prefix.push_back((g.prefix.empty() ? 0 : g.prefix.back()) + x.entry.weight);
            g.weighted.push_back(std::move(x.entry));
        } else {
            g.unweighted.push_back(std::move(x.entry));
        }
    }
    return table;
}

} // namespace gw
