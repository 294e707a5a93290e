#include "channelhealthregistry.h"

#include <mutex>

namespace gw {

ChannelHealthRegistry::ChannelHealthRegistry(const BreakerPolicy &policy)
    : m_policy(policy)
{
}

std::shared_ptr<ChannelHealth> ChannelHealthRegistry::of(const QString &channelId)
{
    {
        std::shared_lock lock(m_mutex);
        const auto it = m_channels.constFind(channelId);
        if (it != m_channels.constEnd())
            return *it;
    }
    std::unique_lock lock(m_mutex);
    auto &slot = m_channels[channelId];
    if (!slot)
        slot = std::make_shared<ChannelHealth>(m_policy);
    return slot;
}

std::shared_ptr<const ChannelHealth> ChannelHealthRegistry::peek(const QString &channelId) const
{
    std::shared_lock lock(m_mutex);
    return m_channels.value(channelId);
}

void ChannelHealthRegistry::forget(const QString &channelId)
{
    std::unique_lock lock(m_mutex);
    m_channels.remove(channelId);
}

QList<QPair<QString, ChannelHealth::State>> ChannelHealthRegistry::states(qint64 nowMs) const
{
    QList<QPair<QString, ChannelHealth::State>> out;
    std::shared_lock lock(m_mutex);
    out.reserve(m_channels.size());
    for (auto it = m_channels.cbegin(); it != m_channels.cend(); ++it)
        out.append(qMakePair(it.key(), it.value()->state(nowMs)));
    return out;
}

} // namespace gw
