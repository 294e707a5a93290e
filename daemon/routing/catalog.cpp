#include "catalog.h"

#include "modelroutetable.h"

#include <QJsonDocument>

#include <algorithm>

namespace gw {

Catalog::Catalog(quint64 version, QList<ChannelInfo> channels, QList<ModelInfo> models)
    : m_version(version)
{
    std::sort(channels.begin(), channels.end(), [](const ChannelInfo &a, const ChannelInfo &b) { return a.id < b.id; });
    std::sort(models.begin(), models.end(), [](const ModelInfo &a, const ModelInfo &b) { return a.id < b.id; });
    for (ChannelInfo &c : channels) {
        auto ptr = std::make_shared<const ChannelInfo>(std::move(c));
        m_channels.insert(ptr->id, ptr);
        m_channelList.append(ptr);
    }
    for (ModelInfo &m : models) {
        m.pricingJson = QJsonDocument(m.pricing.toJson()).toJson(QJsonDocument::Compact);
        m.routeTable = std::make_shared<const ModelRouteTable>(ModelRouteTable::build(m, m_channels));
        auto ptr = std::make_shared<const ModelInfo>(std::move(m));
        m_models.insert(ptr->id, ptr);
        m_modelList.append(ptr);
    }
}

Catalog::ChannelPtr Catalog::channelByName(const QString &name) const
{
    for (const ChannelPtr &c : m_channelList) {
        if (c->name == name)
            return c;
    }
    return nullptr;
}

} // namespace gw
