#include "planrepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral("id, name, models, billing_mode, monthly_allowance, created_at, updated_at");

PlanRecord fromQuery(const QSqlQuery &q)
{
    PlanRecord p;
    p.id = q.value(0).toString();
    p.name = q.value(1).toString();
    p.models = SqlValues::toList(q.value(2));
    p.billingMode = q.value(3).toString();
    p.monthlyAllowance = q.value(4).toLongLong();
    p.createdAtMs = q.value(5).toLongLong();
    p.updatedAtMs = q.value(6).toLongLong();
    return p;
}

} // namespace

void PlanRepository::insert(SqlSession &s, const PlanRecord &p)
{
    s.run(QStringLiteral("INSERT INTO plans (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?)"),
           {p.id, p.name, SqlValues::jsonList(p.models), p.billingMode, p.monthlyAllowance, p.createdAtMs, p.updatedAtMs});
}

void PlanRepository::update(SqlSession &s, const PlanRecord &p)
{
    s.run(QStringLiteral("UPDATE plans SET name = ?, models = ?, billing_mode = ?, monthly_allowance = ?, updated_at = ? WHERE id = ?"),
           {p.name, SqlValues::jsonList(p.models), p.billingMode, p.monthlyAllowance, p.updatedAtMs, p.id});
}

void PlanRepository::remove(SqlSession &s, const QString &id)
{
    s.run(QStringLiteral("DELETE FROM plans WHERE id = ?"), {id});
}

std::optional<PlanRecord> PlanRepository::find(SqlSession &s, const QString &idOrName)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM plans WHERE id = ? OR name = ?"),
                          {idOrName, idOrName});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

QList<PlanRecord> PlanRepository::all(SqlSession &s)
{
    QList<PlanRecord> out;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM plans ORDER BY id"));
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

int PlanRepository::usersOn(SqlSession &s, const QString &planId)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT COUNT(*) FROM users WHERE plan = ?"), {planId});
    return q.next() ? q.value(0).toInt() : 0;
}

} // namespace gw
