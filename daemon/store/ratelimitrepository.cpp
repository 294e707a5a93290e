#include "ratelimitrepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral("id, scope, target, rpm, tpm, created_by, created_at, updated_at");

RateLimitRule fromQuery(const QSqlQuery &q)
{
    RateLimitRule r;
    r.id = q.value(0).toString();
    r.scope = limitScopeFromName(q.value(1).toString()).value_or(LimitScope::Global);
    r.target = q.value(2).toString();
    r.rpm = SqlValues::toOptionalInt(q.value(3));
    r.tpm = SqlValues::toOptionalInt(q.value(4));
    r.createdBy = q.value(5).toString();
    r.createdAtMs = q.value(6).toLongLong();
    r.updatedAtMs = q.value(7).toLongLong();
    return r;
}

} // namespace

void RateLimitRepository::insert(SqlSession &s, const RateLimitRule &r)
{
    s.run(QStringLiteral("INSERT INTO rate_limits (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
           {r.id, limitScopeName(r.scope), SqlValues::nullableText(r.target), SqlValues::nullableInt(r.rpm),
            SqlValues::nullableInt(r.tpm), SqlValues::nullableText(r.createdBy), r.createdAtMs, r.updatedAtMs});
}

void RateLimitRepository::remove(SqlSession &s, const QString &id)
{
    s.run(QStringLiteral("DELETE FROM rate_limits WHERE id = ?"), {id});
}

std::optional<RateLimitRule> RateLimitRepository::find(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM rate_limits WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

std::optional<RateLimitRule> RateLimitRepository::findByTarget(SqlSession &s, LimitScope scope, const QString &target)
{
    // A global rule stores NULL as its target; COALESCE lets one statement
    // (and the scope index) serve every scope.
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM rate_limits WHERE scope = ? AND COALESCE(target, '') = ? ORDER BY id LIMIT 1"),
                          {limitScopeName(scope), scope == LimitScope::Global ? QString() : target});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

Page<RateLimitRule> RateLimitRepository::list(SqlSession &s, const QString &scope, const QString &cursor, int limit)
{
    QList<RateLimitRule> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM rate_limits WHERE id > ? AND (? = '' OR scope = ?) ORDER BY id LIMIT ?"),
                          {cursor, scope, scope, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const RateLimitRule &r) { return r.id; });
}

QList<RateLimitRule> RateLimitRepository::loadAll(SqlSession &s)
{
    QList<RateLimitRule> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM rate_limits ORDER BY id"));
    while (q.next())
        rows.append(fromQuery(q));
    return rows;
}

} // namespace gw
