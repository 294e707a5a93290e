#include "ratelimitrules.h"

#include <algorithm>
#include <unordered_map>

namespace gw {

struct RateLimitRules::Snapshot
{
    QHash<QString, RateLimitRule> byId;
    std::unordered_map<LimitKey, QList<RateLimitRule>, LimitKeyHash> byTarget;
};

namespace {

LimitKey keyOf(LimitScope scope, const QString &target)
{
    return LimitKey{scope, scope == LimitScope::Global ? QString() : target};
}

qint64 tighter(qint64 a, qint64 b)
{
    if (a <= 0)
        return b;
    if (b <= 0)
        return a;
    return std::min(a, b);
}

} // namespace

RateLimitRules::RateLimitRules()
    : m_snapshot(std::make_shared<const Snapshot>())
{
}

void RateLimitRules::publish(QHash<QString, RateLimitRule> byId)
{
    auto next = std::make_shared<Snapshot>();
    QList<RateLimitRule> ordered = byId.values();
    std::sort(ordered.begin(), ordered.end(), [](const RateLimitRule &a, const RateLimitRule &b) { return a.id < b.id; });
    for (const RateLimitRule &r : std::as_const(ordered))
        next->byTarget[keyOf(r.scope, r.target)].append(r);
    next->byId = std::move(byId);
    m_snapshot.replace(std::move(next));
}

void RateLimitRules::replaceAll(const QList<RateLimitRule> &rules)
{
    std::lock_guard lock(m_writeMutex);
    QHash<QString, RateLimitRule> byId;
    for (const RateLimitRule &r : rules)
        byId.insert(r.id, r);
    m_sequences.clear();
    publish(std::move(byId));
}

void RateLimitRules::upsert(const RateLimitRule &rule, quint64 sequence)
{
    std::lock_guard lock(m_writeMutex);
    if (sequence != 0) {
        if (m_sequences.value(rule.id, 0) > sequence)
            return;
        m_sequences.insert(rule.id, sequence);
    }
    QHash<QString, RateLimitRule> byId = m_snapshot.get()->byId;
    byId.insert(rule.id, rule);
    publish(std::move(byId));
}

void RateLimitRules::remove(const QString &id, quint64 sequence)
{
    std::lock_guard lock(m_writeMutex);
    if (sequence != 0) {
        if (m_sequences.value(id, 0) > sequence)
            return;
        m_sequences.insert(id, sequence);
    }
    QHash<QString, RateLimitRule> byId = m_snapshot.get()->byId;
    if (byId.remove(id) == 0)
        return;
    publish(std::move(byId));
}

QList<RateLimitRule> RateLimitRules::rulesFor(LimitScope scope, const QString &target) const
{
    return m_snapshot.read([key = keyOf(scope, target)](const Snapshot &s) {
        const auto it = s.byTarget.find(key);
        return it == s.byTarget.end() ? QList<RateLimitRule>() : it->second;
    });
}

std::optional<LimitSubject> RateLimitRules::subjectFor(LimitScope scope, const QString &target, qint64 ownRpm,
                                                       qint64 ownTpm) const
{
    LimitSubject subject;
    subject.scope = scope;
    subject.target = scope == LimitScope::Global ? QString() : target;
    subject.rpm = std::max<qint64>(ownRpm, 0);
    subject.tpm = std::max<qint64>(ownTpm, 0);
    m_snapshot.read([&subject](const Snapshot &s) {
        if (s.byTarget.empty())
            return;
        const auto it = s.byTarget.find(LimitKey{subject.scope, subject.target});
        if (it == s.byTarget.end())
            return;
        for (const RateLimitRule &r : it->second) {
            subject.rpm = tighter(subject.rpm, r.rpm.value_or(0));
            subject.tpm = tighter(subject.tpm, r.tpm.value_or(0));
        }
    });
    if (!subject.limitsAnything())
        return std::nullopt;
    return subject;
}

void RateLimitRules::appendSubject(QList<LimitSubject> &out, LimitScope scope, const QString &target, qint64 ownRpm,
                                   qint64 ownTpm) const
{
    if (auto s = subjectFor(scope, target, ownRpm, ownTpm))
        out.append(std::move(*s));
}

std::optional<RateLimitRule> RateLimitRules::byId(const QString &id) const
{
    return m_snapshot.read([&id](const Snapshot &s) -> std::optional<RateLimitRule> {
        const auto it = s.byId.constFind(id);
        if (it == s.byId.constEnd())
            return std::nullopt;
        return *it;
    });
}

QList<RateLimitRule> RateLimitRules::all() const
{
    QList<RateLimitRule> out = m_snapshot.get()->byId.values();
    std::sort(out.begin(), out.end(), [](const RateLimitRule &a, const RateLimitRule &b) { return a.id < b.id; });
    return out;
}

bool RateLimitRules::isEmpty() const
{
    return m_snapshot.read([](const Snapshot &s) { return s.byId.isEmpty(); });
}

} // namespace gw
