#pragma once

#include "payloadpolicy.h"
#include "usagerecord.h"

#include <atomic>
#include <optional>

namespace gw {

class Store;

// Writes usage rows (with attempts and, by policy, capped bodies) through
// the store's batched writer. Fire and forget: the caller has its answer.
class UsageRecorder
{
public:
    UsageRecorder(Store &store, const PayloadPolicy &policy);

    const PayloadPolicy &policy() const { return m_policy; }
    bool storesPayloadFor(const std::optional<bool> &keySetting) const;
    // Caps a body to the policy's size; says whether it cut.
    QByteArray cap(const QByteArray &body, bool *truncated) const;

    void record(UsageRecord record);
    quint64 recorded() const { return m_recorded.load(); }

private:
    Store &m_store;
    PayloadPolicy m_policy;
    std::atomic<quint64> m_recorded{0};
};

} // namespace gw
