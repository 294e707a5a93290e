#include "ratelimitservice.h"

#include "admin/adminviews.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "ratelimitrules.h"
#include "routing/catalogservice.h"
#include "store/auditlog.h"
#include "store/ratelimitrepository.h"
#include "store/sqlsession.h"
#include "store/store.h"

namespace gw {

namespace {

struct Change
{
    RateLimitRule rule;
    quint64 sequence = 0;
};

bool rowExists(SqlSession &s, const QString &sql, const QString &id)
{
    return s.exec(sql, {id}).next();
}

// The target must name something that exists, so that a typo does not make a
// rule that silently limits nothing. Channels may be named by name; the rule
// keeps the id, which is what the relay counts by.
QString resolveTarget(SqlSession &s, LimitScope scope, const QString &target)
{
    const QString field = QStringLiteral("target");
    switch (scope) {
    case LimitScope::Global:
        return QString();
    case LimitScope::Key:
        if (!rowExists(s, QStringLiteral("SELECT 1 FROM api_keys WHERE id = ? AND deleted_at IS NULL"), target))
            throw ServiceError::invalid(field, QStringLiteral("no API key %1").arg(target));
        return target;
    case LimitScope::User:
        if (!rowExists(s, QStringLiteral("SELECT 1 FROM users WHERE id = ?"), target))
            throw ServiceError::invalid(field, QStringLiteral("no user %1").arg(target));
        return target;
    case LimitScope::Project:
        if (!rowExists(s, QStringLiteral("SELECT 1 FROM projects WHERE id = ?"), target))
            throw ServiceError::invalid(field, QStringLiteral("no project %1").arg(target));
        return target;
    case LimitScope::Channel: {
        QSqlQuery &q = s.exec(QStringLiteral("SELECT id FROM channels WHERE id = ? OR name = ? ORDER BY id LIMIT 1"),
                              {target, target});
        if (!q.next())
            throw ServiceError::invalid(field, QStringLiteral("no channel with id or name %1").arg(target));
        return q.value(0).toString();
    }
    case LimitScope::Provider:
        if (!CatalogService::knownProviders().contains(target))
            throw ServiceError::invalid(field, QStringLiteral("must be one of: %1")
                                                   .arg(CatalogService::knownProviders().join(QStringLiteral(", "))));
        return target;
    }
    return target;
}

} // namespace

RateLimitService::RateLimitService(Store &store, RateLimitRules &rules)
    : m_store(store)
    , m_rules(rules)
{
}

void RateLimitService::create(const RateLimitSpec &spec, const AdminActor &actor, QObject *context,
                              Callback<RateLimitRule> done)
{
    const auto scope = limitScopeFromName(spec.scope.value_or(QString()));
    if (!scope) {
        done(ServiceError::invalid(QStringLiteral("scope"), QStringLiteral("must be one of: %1")
                                                                .arg(RateLimitSpec::knownScopes().join(QStringLiteral(", ")))));
        return;
    }
    RateLimitRules *rules = &m_rules;
    std::atomic<quint64> *sequence = &m_sequence;
    m_store.write<Change>(context, [spec, scope = *scope, actor, sequence](SqlSession &s) {
        RateLimitRule r;
        r.id = IdGenerator::make("rl");
        r.scope = scope;
        r.target = resolveTarget(s, scope, spec.target.value_or(QString()));
        r.rpm = spec.rpm;
        r.tpm = spec.tpm;
        r.createdBy = actor.tokenId;
        r.createdAtMs = r.updatedAtMs = TimeFormat::nowMs();
        if (RateLimitRepository::findByTarget(s, r.scope, r.target)) {
            const QString what = r.scope == LimitScope::Global
                                     ? QStringLiteral("a global rate limit already exists")
                                     : QStringLiteral("a rate limit for %1 %2 already exists").arg(limitScopeName(r.scope), r.target);
            throw ServiceError(what + QStringLiteral("; delete it first"), ServiceError::Kind::Conflict,
                               r.scope == LimitScope::Global ? QStringLiteral("scope") : QStringLiteral("target"));
        }
        RateLimitRepository::insert(s, r);
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("rate_limit"), r.id, std::nullopt,
                         AdminViews::rateLimit(r));
        return Change{r, ++*sequence};
    }, [rules, done = std::move(done)](Outcome<Change> o) {
        if (!o.ok())
            return done(Outcome<RateLimitRule>(o.error()));
        rules->upsert(o.value().rule, o.value().sequence);
        done(Outcome<RateLimitRule>(std::move(o.value().rule)));
    });
}

void RateLimitService::remove(const QString &id, const AdminActor &actor, QObject *context, Callback<RateLimitRule> done)
{
    RateLimitRules *rules = &m_rules;
    std::atomic<quint64> *sequence = &m_sequence;
    m_store.write<Change>(context, [id, actor, sequence](SqlSession &s) {
        auto found = RateLimitRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no rate limit %1").arg(id));
        RateLimitRepository::remove(s, id);
        AuditLog::record(s, actor, QStringLiteral("delete"), QStringLiteral("rate_limit"), id,
                         AdminViews::rateLimit(*found), std::nullopt);
        return Change{*found, ++*sequence};
    }, [rules, done = std::move(done)](Outcome<Change> o) {
        if (!o.ok())
            return done(Outcome<RateLimitRule>(o.error()));
        rules->remove(o.value().rule.id, o.value().sequence);
        done(Outcome<RateLimitRule>(std::move(o.value().rule)));
    });
}

void RateLimitService::get(const QString &id, QObject *context, Callback<RateLimitRule> done)
{
    m_store.read<RateLimitRule>(context, [id](SqlSession &s) {
        auto found = RateLimitRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no rate limit %1").arg(id));
        return *found;
    }, std::move(done));
}

void RateLimitService::list(const QString &scope, const QString &cursor, int limit, QObject *context,
                            Callback<Page<RateLimitRule>> done)
{
    m_store.read<Page<RateLimitRule>>(context, [scope, cursor, limit](SqlSession &s) {
        return RateLimitRepository::list(s, scope, cursor, limit);
    }, std::move(done));
}

} // namespace gw
