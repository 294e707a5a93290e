#pragma once

#include "admission.h"
#include "apikeyrecord.h"
#include "billing/planservice.h"
#include "clientaddress.h"
#include "common/recorddirectory.h"
#include "projectservice.h"

namespace gw {

class ConcurrencyLimiter;
class HttpRequest;
class KeyBlockList;
class RateLimitRules;
class RateLimiter;

using UserDirectory = RecordDirectory<UserState>;

// Everything between "this key is genuine" and "this call may go upstream",
// checked in memory on the HTTP thread, in this order: the account is active,
// its plan includes the model, the client address is allowed, the key is not
// blocked, the key is under its concurrency cap, and every rate limit that
// applies (key, user, project, global) has room. Channel and provider limits
// and provider-specific blocks are checked per attempt (channelAllowed).
class AccessGate
{
public:
    AccessGate(const UserDirectory &users, const PlanBook &plans, const ProjectDirectory &projects,
               const KeyBlockList &blocks, const RateLimitRules &rules, RateLimiter &limiter,
               ConcurrencyLimiter &concurrency);

    void setTrustedProxies(const QList<ClientAddress::Subnet> &proxies) { m_trustedProxies = proxies; }

    Admission admit(const HttpRequest &request, const ApiKeyRecord &key, const QString &modelId,
                    qint64 estimatedTokens, qint64 nowMs);
    // After the call: the token buckets learn what was really used.
    void settleTokens(const Admission &admission, qint64 actualTokens, qint64 nowMs);
    // Whether an attempt may go to a channel of `provider` (blocks for that
    // provider, channel and provider rate limits); consumes from those limits.
    bool channelAllowed(const ApiKeyRecord &key, QByteArrayView presentedKey, const QString &channelId,
                        const QString &provider, qint64 estimatedTokens, qint64 nowMs);

    static bool planAllows(const PlanRecord &plan, const QString &modelId);

private:
    const UserDirectory &m_users;
    const PlanBook &m_plans;
    const ProjectDirectory &m_projects;
    const KeyBlockList &m_blocks;
    const RateLimitRules &m_rules;
    RateLimiter &m_limiter;
    ConcurrencyLimiter &m_concurrency;
    QList<ClientAddress::Subnet> m_trustedProxies;
};

} // namespace gw
