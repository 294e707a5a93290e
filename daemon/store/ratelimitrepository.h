#pragma once

#include "limits/ratelimitrule.h"
#include "page.h"

#include <optional>

namespace gw {

class SqlSession;

// The SQL behind rate_limits.
class RateLimitRepository
{
public:
    static void insert(SqlSession &s, const RateLimitRule &r);
    static void remove(SqlSession &s, const QString &id);
    static std::optional<RateLimitRule> find(SqlSession &s, const QString &id);
    static std::optional<RateLimitRule> findByTarget(SqlSession &s, LimitScope scope, const QString &target);
    // In id order; `scope` empty lists every scope.
    static Page<RateLimitRule> list(SqlSession &s, const QString &scope, const QString &cursor, int limit);
    static QList<RateLimitRule> loadAll(SqlSession &s);
};

} // namespace gw
