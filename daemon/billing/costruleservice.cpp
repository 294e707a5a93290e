#include "costruleservice.h"

#include "admin/adminviews.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "costrulebook.h"
#include "store/auditlog.h"
#include "store/costrulerepository.h"
#include "store/sqlsession.h"
#include "store/store.h"

namespace gw {

namespace {

struct Change
{
    CostRule rule;
    quint64 sequence = 0;
};

QString resolveChannel(SqlSession &s, const QString &idOrName)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT id FROM channels WHERE id = ? OR name = ? ORDER BY id LIMIT 1"),
                          {idOrName, idOrName});
    if (!q.next())
        throw ServiceError::invalid(QStringLiteral("channel"), QStringLiteral("no channel with id or name %1").arg(idOrName));
    return q.value(0).toString();
}

void checkUnique(SqlSession &s, const CostRule &r)
{
    const auto same = CostRuleRepository::findByPattern(s, r.channelId, r.modelPattern);
    if (same && same->id != r.id)
        throw ServiceError(QStringLiteral("cost rule %1 already has model_pattern %2 on channel %3")
                               .arg(same->id, r.modelPattern, r.channelId),
                           ServiceError::Kind::Conflict, QStringLiteral("model_pattern"));
}

} // namespace

CostRuleService::CostRuleService(Store &store, CostRuleBook &book)
    : m_store(store)
    , m_book(book)
{
}

void CostRuleService::create(const CostRuleSpec &spec, const AdminActor &actor, QObject *context, Callback<CostRule> done)
{
    CostRuleBook *book = &m_book;
    std::atomic<quint64> *sequence = &m_sequence;
    m_store.write<Change>(context, [spec, actor, sequence](SqlSession &s) {
        CostRule r;
        r.id = IdGenerator::make("cr");
        r.channelId = resolveChannel(s, spec.channel.value_or(QString()).trimmed());
        r.modelPattern = spec.modelPattern.value_or(QString());
        r.pricing = spec.applyPricing(ModelPricing());
        r.createdAtMs = r.updatedAtMs = TimeFormat::nowMs();
        checkUnique(s, r);
        CostRuleRepository::insert(s, r);
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("cost_rule"), r.id, std::nullopt,
                         AdminViews::costRule(r));
        return Change{r, ++*sequence};
    }, [book, done = std::move(done)](Outcome<Change> o) {
        if (!o.ok())
            return done(Outcome<CostRule>(o.error()));
        book->upsert(o.value().rule, o.value().sequence);
        done(Outcome<CostRule>(std::move(o.value().rule)));
    });
}

void CostRuleService::update(const QString &id, const CostRuleSpec &spec, const AdminActor &actor, QObject *context,
                             Callback<CostRule> done)
{
    CostRuleBook *book = &m_book;
    std::atomic<quint64> *sequence = &m_sequence;
    m_store.write<Change>(context, [id, spec, actor, sequence](SqlSession &s) {
        auto found = CostRuleRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no cost rule %1").arg(id));
        CostRule r = *found;
        if (spec.channel)
            r.channelId = resolveChannel(s, spec.channel->trimmed());
        if (spec.modelPattern)
            r.modelPattern = *spec.modelPattern;
        r.pricing = spec.applyPricing(r.pricing);
        r.updatedAtMs = TimeFormat::nowMs();
        checkUnique(s, r);
        CostRuleRepository::update(s, r);
        AuditLog::record(s, actor, QStringLiteral("update"), QStringLiteral("cost_rule"), id, AdminViews::costRule(*found),
                         AdminViews::costRule(r));
        return Change{r, ++*sequence};
    }, [book, done = std::move(done)](Outcome<Change> o) {
        if (!o.ok())
            return done(Outcome<CostRule>(o.error()));
        book->upsert(o.value().rule, o.value().sequence);
        done(Outcome<CostRule>(std::move(o.value().rule)));
    });
}

void CostRuleService::remove(const QString &id, const AdminActor &actor, QObject *context, Callback<CostRule> done)
{
    CostRuleBook *book = &m_book;
    std::atomic<quint64> *sequence = &m_sequence;
    m_store.write<Change>(context, [id, actor, sequence](SqlSession &s) {
        auto found = CostRuleRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no cost rule %1").arg(id));
        CostRuleRepository::remove(s, id);
        AuditLog::record(s, actor, QStringLiteral("delete"), QStringLiteral("cost_rule"), id, AdminViews::costRule(*found),
                         std::nullopt);
        return Change{*found, ++*sequence};
    }, [book, done = std::move(done)](Outcome<Change> o) {
        if (!o.ok())
            return done(Outcome<CostRule>(o.error()));
        book->remove(o.value().rule.id, o.value().sequence);
        done(Outcome<CostRule>(std::move(o.value().rule)));
    });
}

void CostRuleService::get(const QString &id, QObject *context, Callback<CostRule> done)
{
    m_store.read<CostRule>(context, [id](SqlSession &s) {
        auto found = CostRuleRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no cost rule %1").arg(id));
        return *found;
    }, std::move(done));
}

void CostRuleService::list(const QString &channelId, const QString &cursor, int limit, QObject *context,
                           Callback<Page<CostRule>> done)
{
    m_store.read<Page<CostRule>>(context, [channelId, cursor, limit](SqlSession &s) {
        return CostRuleRepository::list(s, channelId, cursor, limit);
    }, std::move(done));
}

} // namespace gw
