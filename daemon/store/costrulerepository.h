#pragma once

#include "billing/costrule.h"
#include "page.h"

#include <optional>

namespace gw {

class SqlSession;

// The SQL behind cost_rules.
class CostRuleRepository
{
public:
    static void insert(SqlSession &s, const CostRule &r);
    static void update(SqlSession &s, const CostRule &r);
    static void remove(SqlSession &s, const QString &id);
    static std::optional<CostRule> find(SqlSession &s, const QString &id);
    // The rule with this pattern on this channel, if any.
    static std::optional<CostRule> findByPattern(SqlSession &s, const QString &channelId, const QString &modelPattern);
    // In id order; `channelId` empty lists every channel's rules.
    static Page<CostRule> list(SqlSession &s, const QString &channelId, const QString &cursor, int limit);
    static QList<CostRule> loadAll(SqlSession &s);
};

} // namespace gw
