#pragma once

#include "common/snapshotcell.h"
#include "limitsubject.h"
#include "ratelimitrule.h"

#include <QHash>
#include <QList>

#include <memory>
#include <mutex>
#include <optional>

namespace gw {

// The rate limits configured through the admin API, in memory. Readers (the
// relay, on every request) probe an immutable snapshot (SnapshotCell: no
// lock shared between reader threads); changes build a new snapshot and swap
// it in.
//
// Admin changes arrive from store completions, which may run on different
// threads in any order; `sequence` is taken on the writer thread (so it is
// commit order) and lets a late, older change lose to a newer one for the
// same rule. Sequence 0 applies unconditionally.
class RateLimitRules
{
public:
    RateLimitRules();

    void replaceAll(const QList<RateLimitRule> &rules);
    void upsert(const RateLimitRule &rule, quint64 sequence = 0);
    void remove(const QString &id, quint64 sequence = 0);

    // The rules of exactly this (scope, target); for the global scope the
    // target is ignored (global rules have none).
    QList<RateLimitRule> rulesFor(LimitScope scope, const QString &target) const;
    // The limits of one subject: its rules, tightened by limits of its own
    // (an API key's rpm and tpm, say; 0 for none). nullopt when nothing
    // limits it, so the caller need not pass it to the RateLimiter.
    std::optional<LimitSubject> subjectFor(LimitScope scope, const QString &target, qint64 ownRpm = 0,
                                           qint64 ownTpm = 0) const;
    // Appends subjectFor(scope, target) to `out` when something limits it.
    void appendSubject(QList<LimitSubject> &out, LimitScope scope, const QString &target, qint64 ownRpm = 0,
                       qint64 ownTpm = 0) const;

    std::optional<RateLimitRule> byId(const QString &id) const;
    // In id (creation) order.
    QList<RateLimitRule> all() const;
    bool isEmpty() const;

private:
    struct Snapshot;
    void publish(QHash<QString, RateLimitRule> byId);

    std::mutex m_writeMutex;
    QHash<QString, quint64> m_sequences;  // last applied change per id, removals included
    SnapshotCell<Snapshot> m_snapshot;
};

} // namespace gw
