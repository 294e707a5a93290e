#pragma once

#include "payloadpolicy.h"
#include "access/apikeyrecord.h"
#include "http/apierror.h"
#include "usagerecord.h"

#include <atomic>
#include <optional>

namespace gw {

class HttpRequest;
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
    // A call refused before it reached the relay (rate limit, scope, block,
    // bad body) by a known key: support staff see it beside the others.
    void recordRefusal(const HttpRequest &request, const ApiKeyRecord &key, const QString &family, const QString &endpoint,
                       const QString &model, const ApiError &error);
    quint64 recorded() const { return m_recorded.load(); }

private:
    Store &m_store;
    PayloadPolicy m_policy;
    std::atomic<quint64> m_recorded{0};
};

} // namespace gw
