#include "projectrepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral("id, user_id, name, monthly_budget, status, created_at, updated_at");

ProjectRecord fromQuery(const QSqlQuery &q)
{
    ProjectRecord p;
    p.id = q.value(0).toString();
    p.userId = q.value(1).toString();
    p.name = q.value(2).toString();
    p.monthlyBudget = SqlValues::toOptionalInt(q.value(3));
    p.status = q.value(4).toString();
    p.createdAtMs = q.value(5).toLongLong();
    p.updatedAtMs = q.value(6).toLongLong();
    return p;
}

} // namespace

void ProjectRepository::insert(SqlSession &s, const ProjectRecord &p)
{
    s.run(QStringLiteral("INSERT INTO projects (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?)"),
           {p.id, p.userId, p.name, SqlValues::nullableInt(p.monthlyBudget), p.status, p.createdAtMs, p.updatedAtMs});
}

void ProjectRepository::update(SqlSession &s, const ProjectRecord &p)
{
    s.run(QStringLiteral("UPDATE projects SET name = ?, monthly_budget = ?, status = ?, updated_at = ? WHERE id = ?"),
           {p.name, SqlValues::nullableInt(p.monthlyBudget), p.status, p.updatedAtMs, p.id});
}

std::optional<ProjectRecord> ProjectRepository::find(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM projects WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

Page<ProjectRecord> ProjectRepository::listByUser(SqlSession &s, const QString &userId, const QString &cursor, int limit)
{
    QList<ProjectRecord> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM projects WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?"),
                          {userId, cursor, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const ProjectRecord &p) { return p.id; });
}

QList<ProjectRecord> ProjectRepository::all(SqlSession &s)
{
    QList<ProjectRecord> out;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM projects"));
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

QPair<qint64, qint64> ProjectRepository::spend(SqlSession &s, const QString &projectId, const QString &month)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT charged, held FROM project_spend WHERE project_id = ? AND month = ?"),
                          {projectId, month});
    if (!q.next())
        return {0, 0};
    return {q.value(0).toLongLong(), q.value(1).toLongLong()};
}

} // namespace gw
