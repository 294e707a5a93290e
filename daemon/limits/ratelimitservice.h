#pragma once

#include "access/adminactor.h"
#include "common/callback.h"
#include "ratelimitrule.h"
#include "ratelimitspec.h"
#include "store/page.h"

#include <QObject>

#include <atomic>

namespace gw {

class RateLimitRules;
class Store;

// Creates and removes the rate limits of /admin/v1/rate-limits. Each change
// is written with its audit entry in one transaction and reaches the
// in-memory RateLimitRules when it commits, so the next request is counted
// by it. One rule per (scope, target): a second one is a 409.
class RateLimitService
{
public:
    RateLimitService(Store &store, RateLimitRules &rules);

    void create(const RateLimitSpec &spec, const AdminActor &actor, QObject *context, Callback<RateLimitRule> done);
    void remove(const QString &id, const AdminActor &actor, QObject *context, Callback<RateLimitRule> done);
    void get(const QString &id, QObject *context, Callback<RateLimitRule> done);
    // `scope` empty lists every scope.
    void list(const QString &scope, const QString &cursor, int limit, QObject *context,
              Callback<Page<RateLimitRule>> done);

private:
    Store &m_store;
    RateLimitRules &m_rules;
    std::atomic<quint64> m_sequence{0};
};

} // namespace gw
