#include "admintokenrepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral("id, name, role, token_hash, prefix, created_by, created_at, revoked_at");

AdminTokenRecord fromQuery(const QSqlQuery &q)
{
    AdminTokenRecord t;
    t.id = q.value(0).toString();
    t.name = q.value(1).toString();
    t.role = adminRoleFromName(q.value(2).toString()).value_or(AdminRole::Viewer);
    t.hash = q.value(3).toString().toLatin1();
    t.prefix = q.value(4).toString().toLatin1();
    t.createdBy = q.value(5).toString();
    t.createdAtMs = q.value(6).toLongLong();
    t.revokedAtMs = SqlValues::toOptionalInt(q.value(7));
    return t;
}

} // namespace

void AdminTokenRepository::insert(SqlSession &s, const AdminTokenRecord &t)
{
    s.run(QStringLiteral("INSERT INTO admin_tokens (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
           {t.id, t.name, adminRoleName(t.role), QString::fromLatin1(t.hash), QString::fromLatin1(t.prefix),
            SqlValues::nullableText(t.createdBy), t.createdAtMs, SqlValues::nullableInt(t.revokedAtMs)});
}

void AdminTokenRepository::revoke(SqlSession &s, const QString &id, qint64 atMs)
{
    s.run(QStringLiteral("UPDATE admin_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"), {atMs, id});
}

std::optional<AdminTokenRecord> AdminTokenRepository::find(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM admin_tokens WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

Page<AdminTokenRecord> AdminTokenRepository::list(SqlSession &s, const QString &cursor, int limit)
{
    QList<AdminTokenRecord> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM admin_tokens WHERE revoked_at IS NULL AND id > ? ORDER BY id LIMIT ?"),
                          {cursor, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const AdminTokenRecord &t) { return t.id; });
}

QList<AdminTokenRecord> AdminTokenRepository::loadActive(SqlSession &s)
{
    QList<AdminTokenRecord> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM admin_tokens WHERE revoked_at IS NULL"));
    while (q.next())
        rows.append(fromQuery(q));
    return rows;
}

int AdminTokenRepository::countActive(SqlSession &s, AdminRole role)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT COUNT(*) FROM admin_tokens WHERE revoked_at IS NULL AND role = ?"),
                          {adminRoleName(role)});
    return q.next() ? q.value(0).toInt() : 0;
}

} // namespace gw
