#pragma once

#include "common/snapshotcell.h"
#include "costrule.h"

#include <QHash>
#include <QList>

#include <memory>
#include <mutex>
#include <optional>

namespace gw {

// Every cost rule, in memory, for pricing what a call cost upstream. A read
// is a SnapshotCell read of an immutable snapshot and a walk over one channel's
// rules, which are kept most specific first, so the first match wins:
//   - an exact id (no "*") beats every pattern;
//   - then the longer literal prefix (the text before the first "*"):
//     "gpt-4o-*" beats "gpt-*" beats "*-mini" and "*";
//   - then more literal characters in all: "gpt-*-mini" beats "gpt-*";
//   - then the older rule (lower id), so the answer never depends on hash order.
// Sequences order admin changes as in RateLimitRules.
class CostRuleBook
{
public:
    CostRuleBook();

    void replaceAll(const QList<CostRule> &rules);
    void upsert(const CostRule &rule, quint64 sequence = 0);
    void remove(const QString &id, quint64 sequence = 0);

    std::optional<CostRule> match(const QString &channelId, const QString &modelId) const;

    std::optional<CostRule> byId(const QString &id) const;
    // One channel's rules, most specific first.
    QList<CostRule> rulesFor(const QString &channelId) const;
    bool isEmpty() const;

    // "*" matches any run of characters (none included); everything else
    // matches itself, case-sensitively.
    static bool patternMatches(QStringView pattern, QStringView modelId);
    // Whether a is more specific than b, by the order above.
    static bool moreSpecific(const CostRule &a, const CostRule &b);

private:
    struct Snapshot;
    void publish(QHash<QString, CostRule> byId);

    std::mutex m_writeMutex;
    QHash<QString, quint64> m_sequences;
    SnapshotCell<Snapshot> m_snapshot;
};

} // namespace gw
