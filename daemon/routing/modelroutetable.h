#pragma once

#include "channelinfo.h"

#include <QHash>
#include <QString>

#include <memory>
#include <vector>

namespace gw {

struct ModelInfo;

// A model's routes resolved against one catalog snapshot: each channel looked
// up once, routes grouped by priority (highest first), positive weights
// summed. A call then picks its first route with one binary search instead
// of ordering every route (see RoutePlanner).
class ModelRouteTable
{
public:
    struct Entry
    {
        std::shared_ptr<const ChannelInfo> channel; // null: the route names a channel that does not exist
        QString upstreamModel;                      // the route's, or the model's own id
        int weight = 0;
    };

    struct Group
    {
        int priority = 0;
        std::vector<Entry> weighted;   // weight > 0, in route order
        std::vector<qint64> prefix;    // prefix[i]: the weights of weighted[0..i]
        std::vector<Entry> unweighted; // weight 0: tried last, in route order
    };

    static ModelRouteTable build(const ModelInfo &model, const QHash<QString, std::shared_ptr<const ChannelInfo>> &channels);

    const std::vector<Group> &groups() const { return m_groups; }

private:
    std::vector<Group> m_groups;
};

} // namespace gw
