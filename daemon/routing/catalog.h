#pragma once

#include "channelinfo.h"
#include "modelinfo.h"

#include <QHash>
#include <QStringList>

#include <memory>

namespace gw {

// An immutable snapshot of channels and models. The request path reads it
// without locks; an admin change builds a new one and swaps it in whole.
class Catalog
{
public:
    using ChannelPtr = std::shared_ptr<const ChannelInfo>;
    using ModelPtr = std::shared_ptr<const ModelInfo>;

    Catalog(quint64 version, QList<ChannelInfo> channels, QList<ModelInfo> models);

    quint64 version() const { return m_version; }
    ChannelPtr channel(const QString &id) const { return m_channels.value(id); }
    ChannelPtr channelByName(const QString &name) const;
    ModelPtr model(const QString &id) const { return m_models.value(id); }
    // In id order (which is creation order for channels).
    const QList<ChannelPtr> &channels() const { return m_channelList; }
    const QList<ModelPtr> &models() const { return m_modelList; }

private:
    quint64 m_version;
    QHash<QString, ChannelPtr> m_channels;
    QHash<QString, ModelPtr> m_models;
    QList<ChannelPtr> m_channelList;
    QList<ModelPtr> m_modelList;
};

} // namespace gw
