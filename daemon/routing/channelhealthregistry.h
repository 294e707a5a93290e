#pragma once

#include "breakerpolicy.h"
#include "channelhealth.h"

#include <QHash>
#include <QString>

#include <memory>
#include <shared_mutex>

namespace gw {

// The breakers of every channel, created on first use. Breakers outlive
// catalog swaps: a channel keeps its health when an admin edits it.
class ChannelHealthRegistry
{
public:
    explicit ChannelHealthRegistry(const BreakerPolicy &policy = {});

    std::shared_ptr<ChannelHealth> of(const QString &channelId);
    std::shared_ptr<const ChannelHealth> peek(const QString &channelId) const;
    void forget(const QString &channelId);
    // Every breaker's state now, for /metrics.
    QList<QPair<QString, ChannelHealth::State>> states(qint64 nowMs) const;

private:
    BreakerPolicy m_policy;
    mutable std::shared_mutex m_mutex;
    QHash<QString, std::shared_ptr<ChannelHealth>> m_channels;
};

} // namespace gw
