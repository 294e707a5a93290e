#include "userrepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral("id, email, name, status, plan, created_at, updated_at");

UserRecord fromQuery(const QSqlQuery &q)
{
    UserRecord u;
    u.id = q.value(0).toString();
    u.email = q.value(1).toString();
    u.name = q.value(2).toString();
    u.status = q.value(3).toString();
    u.plan = q.value(4).toString();
    u.createdAtMs = q.value(5).toLongLong();
    u.updatedAtMs = q.value(6).toLongLong();
    return u;
}

} // namespace

void UserRepository::insert(SqlSession &s, const UserRecord &u)
{
    s.run(QStringLiteral("INSERT INTO users (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?)"),
           {u.id, u.email, u.name, u.status, SqlValues::nullableText(u.plan), u.createdAtMs, u.updatedAtMs});
}

void UserRepository::update(SqlSession &s, const UserRecord &u)
{
    s.run(QStringLiteral("UPDATE users SET email = ?, name = ?, status = ?, plan = ?, updated_at = ? WHERE id = ?"),
           {u.email, u.name, u.status, SqlValues::nullableText(u.plan), u.updatedAtMs, u.id});
}

std::optional<UserRecord> UserRepository::find(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM users WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

QList<UserState> UserRepository::states(SqlSession &s)
{
    QList<UserState> out;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT id, status, plan FROM users"));
    while (q.next())
        out.append(UserState{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()});
    return out;
}

Page<UserRecord> UserRepository::list(SqlSession &s, const QString &cursor, int limit, const QString &emailLike)
{
    QList<UserRecord> rows;
    const QString like = QLatin1Char('%') + emailLike.toLower() + QLatin1Char('%');
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM users WHERE id > ? AND email LIKE ? ORDER BY id LIMIT ?"),
                          {cursor, like, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const UserRecord &u) { return u.id; });
}

} // namespace gw
