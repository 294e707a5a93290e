#include "costrulebook.h"

#include <algorithm>

namespace gw {

struct CostRuleBook::Snapshot
{
    QHash<QString, CostRule> byId;
    QHash<QString, QList<CostRule>> byChannel;  // most specific first
};

namespace {

struct Specificity
{
    bool exact;
    qsizetype literalPrefix;
    qsizetype literals;
};

Specificity specificityOf(const QString &pattern)
{
    const qsizetype star = pattern.indexOf(QLatin1Char('*'));
    return Specificity{star < 0, star < 0 ? pattern.size() : star, pattern.size() - pattern.count(QLatin1Char('*'))};
}

} // namespace

bool CostRuleBook::moreSpecific(const CostRule &a, const CostRule &b)
{
    const Specificity sa = specificityOf(a.modelPattern);
    const Specificity sb = specificityOf(b.modelPattern);
    if (sa.exact != sb.exact)
        return sa.exact;
    if (sa.literalPrefix != sb.literalPrefix)
        return sa.literalPrefix > sb.literalPrefix;
    if (sa.literals != sb.literals)
        return sa.literals > sb.literals;
    return a.id < b.id;
}

bool CostRuleBook::patternMatches(QStringView pattern, QStringView modelId)
{
    // Greedy matching with one backtrack point (the last "*"): linear for the
    // usual patterns, never exponential.
    qsizetype p = 0;
    qsizetype m = 0;
    qsizetype starAt = -1;
    qsizetype resumeAt = 0;
    while (m < modelId.size()) {
        if (p < pattern.size() && pattern[p] == QLatin1Char('*')) {
            starAt = p++;
            resumeAt = m;
        } else if (p < pattern.size() && pattern[p] == modelId[m]) {
            ++p;
            ++m;
        } else if (starAt >= 0) {
            p = starAt + 1;
            m = ++resumeAt;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}

CostRuleBook::CostRuleBook()
    : m_snapshot(std::make_shared<const Snapshot>())
{
}

void CostRuleBook::publish(QHash<QString, CostRule> byId)
{
    auto next = std::make_shared<Snapshot>();
    for (const CostRule &r : std::as_const(byId))
        next->byChannel[r.channelId].append(r);
    for (auto &rules : next->byChannel)
        std::sort(rules.begin(), rules.end(), &CostRuleBook::moreSpecific);
    next->byId = std::move(byId);
    m_snapshot.replace(std::move(next));
}

void CostRuleBook::replaceAll(const QList<CostRule> &rules)
{
    std::lock_guard lock(m_writeMutex);
    QHash<QString, CostRule> byId;
    for (const CostRule &r : rules)
        byId.insert(r.id, r);
    m_sequences.clear();
    publish(std::move(byId));
}

void CostRuleBook::upsert(const CostRule &rule, quint64 sequence)
{
    std::lock_guard lock(m_writeMutex);
    if (sequence != 0) {
        if (m_sequences.value(rule.id, 0) > sequence)
            return;
        m_sequences.insert(rule.id, sequence);
    }
    QHash<QString, CostRule> byId = m_snapshot.get()->byId;
    byId.insert(rule.id, rule);
    publish(std::move(byId));
}

void CostRuleBook::remove(const QString &id, quint64 sequence)
{
    std::lock_guard lock(m_writeMutex);
    if (sequence != 0) {
        if (m_sequences.value(id, 0) > sequence)
            return;
        m_sequences.insert(id, sequence);
    }
    QHash<QString, CostRule> byId = m_snapshot.get()->byId;
    if (byId.remove(id) == 0)
        return;
    publish(std::move(byId));
}

std::optional<CostRule> CostRuleBook::match(const QString &channelId, const QString &modelId) const
{
    return m_snapshot.read([&](const Snapshot &s) -> std::optional<CostRule> {
        const auto it = s.byChannel.constFind(channelId);
        if (it == s.byChannel.constEnd())
            return std::nullopt;
        for (const CostRule &r : *it) {
            if (patternMatches(r.modelPattern, modelId))
                return r;
        }
        return std::nullopt;
    });
}

std::optional<CostRule> CostRuleBook::byId(const QString &id) const
{
    return m_snapshot.read([&id](const Snapshot &s) -> std::optional<CostRule> {
        const auto it = s.byId.constFind(id);
        if (it == s.byId.constEnd())
            return std::nullopt;
        return *it;
    });
}

QList<CostRule> CostRuleBook::rulesFor(const QString &channelId) const
{
    return m_snapshot.read([&channelId](const Snapshot &s) { return s.byChannel.value(channelId); });
}

bool CostRuleBook::isEmpty() const
{
    return m_snapshot.read([](const Snapshot &s) { return s.byId.isEmpty(); });
}

} // namespace gw
