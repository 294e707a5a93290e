#include "holdbook.h"

#include "common/idgenerator.h"
#include "common/serviceerror.h"
#include "credits.h"
#include "ledgerbook.h"
#include "store/sqlsession.h"
#include "store/sqlvalues.h"

#include <QDateTime>

#include <limits>

namespace gw {

namespace {

const QString kColumns = QStringLiteral(
    "id, user_id, project_id, key_id, request_id, task_id, model, owner, paid_by, amount, opened_at, closed_at, outcome, charged");

HoldRecord fromQuery(const QSqlQuery &q)
{
    HoldRecord h;
    h.id = q.value(0).toString();
    h.userId = q.value(1).toString();
    h.projectId = q.value(2).toString();
    h.keyId = q.value(3).toString();
    h.requestId = q.value(4).toString();
    h.taskId = q.value(5).toString();
    h.model = q.value(6).toString();
    h.owner = q.value(7).toString();
    h.paidBy = q.value(8).toString();
    h.amount = q.value(9).toLongLong();
    h.openedAtMs = q.value(10).toLongLong();
    h.closedAtMs = SqlValues::toOptionalInt(q.value(11));
    h.outcome = q.value(12).toString();
    h.charged = SqlValues::toOptionalInt(q.value(13));
    return h;
}

std::optional<HoldRecord> findForUpdate(SqlSession &s, const QString &holdId)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM holds WHERE id = ?")
                              + (s.isPostgres() ? QStringLiteral(" FOR UPDATE") : QString()),
                          {holdId});
    if (!q.next())
        return std::nullopt;
    HoldRecord h = fromQuery(q);
    q.finish();
    return h;
}

void adjustProjectSpend(SqlSession &s, const QString &projectId, const QString &month, qint64 heldDelta, qint64 chargedDelta)
{
    if (projectId.isEmpty())
        return;
    s.run(QStringLiteral("UPDATE project_spend SET held = held + ?, charged = charged + ? WHERE project_id = ? AND month = ?"),
           {heldDelta, chargedDelta, projectId, month});
}

} // namespace

HoldRecord HoldBook::newHold(const HoldRequest &r, const QString &owner, qint64 nowMs)
{
    HoldRecord h;
    h.id = IdGenerator::make("hold");
    h.userId = r.userId;
    h.projectId = r.projectId;
    h.keyId = r.keyId;
    h.requestId = r.requestId;
    h.taskId = r.taskId;
    h.model = r.model;
    h.owner = owner;
    h.paidBy = r.teamProject ? QStringLiteral("team") : (r.monthlyAllowance > 0 ? QStringLiteral("subscription") : QStringLiteral("prepaid"));
    h.amount = r.amount;
    h.openedAtMs = nowMs;
    return h;
}

ServiceError HoldBook::insufficientCredits(qint64 available, qint64 amount)
{
    return ServiceError(QStringLiteral("Not enough credits: %1 available, and this call may cost up to %2.")
                            .arg(Credits::format(available), Credits::format(amount)),
                        ServiceError::Kind::PaymentRequired);
}

ServiceError HoldBook::budgetReached(qint64 used, qint64 budget, qint64 amount)
{
    return ServiceError(QStringLiteral("The project's monthly budget is reached: %1 of %2 spent or held this month, "
                                       "and this call may cost up to %3.")
                            .arg(Credits::format(used), Credits::format(budget), Credits::format(amount)),
                        ServiceError::Kind::PaymentRequired);
}

QString HoldBook::monthOf(qint64 ms)
{
    // Asked several times per call: the answer is kept for the month it names.
    struct Cached
    {
        qint64 from = 1;
        qint64 to = 0; // [from, to): empty until the first call
        QString month;
    };
    thread_local Cached cached;
    if (ms >= cached.from && ms < cached.to)
        return cached.month;
    const QDate date = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date();
    const QDate first(date.year(), date.month(), 1);
    cached.from = QDateTime(first, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    cached.to = QDateTime(first.addMonths(1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    cached.month = QStringLiteral("%1-%2").arg(date.year(), 4, 10, QLatin1Char('0')).arg(date.month(), 2, 10, QLatin1Char('0'));
    return cached.month;
}

void HoldBook::rollSubscription(SqlSession &s, const QString &userId, qint64 monthlyAllowance, qint64 nowMs)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT balance, subscription_remaining, subscription_month FROM balances WHERE user_id = ?"),
                          {userId});
    if (!q.next())
        return;
    qint64 balance = q.value(0).toLongLong();
    const qint64 remaining = q.value(1).toLongLong();
    const QString storedMonth = q.value(2).toString();
    q.finish();
    const QString month = monthOf(nowMs);
    if (storedMonth == month || (monthlyAllowance <= 0 && remaining <= 0))
        return;
    auto post = [&](const QString &type, qint64 amount, const QString &reason) {
        LedgerPosting p;
        p.userId = userId;
        p.type = type;
        p.amount = amount;
        p.paidBy = QStringLiteral("subscription");
        p.reason = reason;
        p.createdAtMs = nowMs;
        balance += amount;
        p.balanceAfter = balance;
        LedgerBook::insertPosting(s, p);
    };
    if (remaining > 0)
        post(QStringLiteral("adjustment"), -remaining,
             QStringLiteral("subscription allowance for %1 expired").arg(storedMonth.isEmpty() ? QStringLiteral("the last month") : storedMonth));
    if (monthlyAllowance > 0)
        post(QStringLiteral("grant"), monthlyAllowance, QStringLiteral("subscription allowance for %1").arg(month));
    s.run(QStringLiteral("UPDATE balances SET balance = ?, subscription_remaining = ?, subscription_month = ?, updated_at = ? "
                          "WHERE user_id = ?"),
           {balance, qMax<qint64>(0, monthlyAllowance), month, nowMs, userId});
}

HoldRecord HoldBook::open(SqlSession &s, const HoldRequest &r, const QString &owner, qint64 nowMs)
{
    rollSubscription(s, r.userId, r.monthlyAllowance, nowMs);
    const QString reserve = QStringLiteral("UPDATE balances SET held = held + ?, updated_at = ? WHERE user_id = ? AND balance - held >= ?");
    if (s.run(reserve, {r.amount, nowMs, r.userId, r.amount}) != 1) {
        QSqlQuery &q = s.exec(QStringLiteral("SELECT balance, held FROM balances WHERE user_id = ?"), {r.userId});
        const qint64 available = q.next() ? q.value(0).toLongLong() - q.value(1).toLongLong() : 0;
        q.finish();
        throw insufficientCredits(available, r.amount);
    }
    const QString month = monthOf(nowMs);
    if (!r.projectId.isEmpty()) {
        s.run(QStringLiteral("INSERT INTO project_spend (project_id, month, charged, held) VALUES (?, ?, 0, 0) "
                              "ON CONFLICT (project_id, month) DO NOTHING"),
               {r.projectId, month});
        if (r.projectBudget) {
            const QString within = QStringLiteral("UPDATE project_spend SET held = held + ? WHERE project_id = ? AND month = ? "
                                                  "AND charged + held + ? <= ?");
            if (s.run(within, {r.amount, r.projectId, month, r.amount, *r.projectBudget}) != 1) {
                QSqlQuery &q = s.exec(QStringLiteral("SELECT charged, held FROM project_spend WHERE project_id = ? AND month = ?"),
                                      {r.projectId, month});
                const qint64 used = q.next() ? q.value(0).toLongLong() + q.value(1).toLongLong() : 0;
                q.finish();
                // The balance reservation above is undone with this job's savepoint.
                throw budgetReached(used, *r.projectBudget, r.amount);
            }
        } else {
            adjustProjectSpend(s, r.projectId, month, r.amount, 0);
        }
    }
    const HoldRecord h = newHold(r, owner, nowMs);
    s.run(QStringLiteral("INSERT INTO holds (id, user_id, project_id, key_id, request_id, task_id, model, owner, paid_by, amount, "
                          "opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           {h.id, h.userId, SqlValues::nullableText(h.projectId), SqlValues::nullableText(h.keyId),
            SqlValues::nullableText(h.requestId), SqlValues::nullableText(h.taskId), SqlValues::nullableText(h.model), h.owner,
            h.paidBy, h.amount, h.openedAtMs});
    return h;
}

SettleResult HoldBook::settle(SqlSession &s, const QString &holdId, const SettleRequest &r, qint64 nowMs)
{
    SettleResult result;
    const auto hold = findForUpdate(s, holdId);
    if (!hold)
        throw ServiceError::notFound(QStringLiteral("no hold %1").arg(holdId));
    if (hold->closedAtMs) {
        result.alreadyClosed = true;
        result.charged = hold->charged.value_or(0);
        return result;
    }
    const qint64 charge = qMax<qint64>(0, r.charge);
    s.run(QStringLiteral("UPDATE holds SET closed_at = ?, outcome = 'charged', charged = ? WHERE id = ? AND closed_at IS NULL"),
           {nowMs, charge, holdId});
    if (hold->paidBy != QLatin1String("team"))
        rollSubscription(s, hold->userId, r.monthlyAllowance, nowMs);
    QSqlQuery &q = s.exec(s.isPostgres() ? QStringLiteral("SELECT balance, subscription_remaining FROM balances WHERE user_id = ? FOR UPDATE")
                                         : QStringLiteral("SELECT balance, subscription_remaining FROM balances WHERE user_id = ?"),
                          {hold->userId});
    if (!q.next())
        throw ServiceError(QStringLiteral("user %1 has no ledger account").arg(hold->userId));
    qint64 balance = q.value(0).toLongLong();
    const qint64 allowance = hold->paidBy == QLatin1String("team") ? 0 : qMax<qint64>(0, q.value(1).toLongLong());
    q.finish();
    // A subscription's allowance pays first; the prepaid balance (or, for a
    // team project, the owner's balance) pays the rest.
    const qint64 fromAllowance = qMin(allowance, charge);
    const qint64 fromBalance = charge - fromAllowance;
    auto post = [&](qint64 amount, const QString &paidBy) {
        LedgerPosting p;
        p.userId = hold->userId;
        p.projectId = hold->projectId;
        p.keyId = hold->keyId;
        p.requestId = hold->requestId;
        p.taskId = hold->taskId;
        p.type = QStringLiteral("charge");
        p.amount = -amount;
        balance -= amount;
        p.balanceAfter = balance;
        p.paidBy = paidBy;
        p.reason = r.reason;
        p.createdAtMs = nowMs;
        LedgerBook::insertPosting(s, p);
    };
    if (fromAllowance > 0)
        post(fromAllowance, QStringLiteral("subscription"));
    if (fromBalance > 0)
        post(fromBalance, hold->paidBy == QLatin1String("team") ? QStringLiteral("team") : QStringLiteral("prepaid"));
    s.run(QStringLiteral("UPDATE balances SET held = held - ?, balance = ?, subscription_remaining = subscription_remaining - ?, "
                          "updated_at = ? WHERE user_id = ?"),
           {hold->amount, balance, fromAllowance, nowMs, hold->userId});
    adjustProjectSpend(s, hold->projectId, monthOf(hold->openedAtMs), -hold->amount, charge);
    result.charged = charge;
    result.overage = qMax<qint64>(0, charge - hold->amount);
    return result;
}

bool HoldBook::release(SqlSession &s, const QString &holdId, qint64 nowMs)
{
    const auto hold = findForUpdate(s, holdId);
    if (!hold || hold->closedAtMs)
        return false;
    s.run(QStringLiteral("UPDATE holds SET closed_at = ?, outcome = 'released', charged = 0 WHERE id = ? AND closed_at IS NULL"),
           {nowMs, holdId});
    s.run(QStringLiteral("UPDATE balances SET held = held - ?, updated_at = ? WHERE user_id = ?"), {hold->amount, nowMs, hold->userId});
    adjustProjectSpend(s, hold->projectId, monthOf(hold->openedAtMs), -hold->amount, 0);
    return true;
}

int HoldBook::releaseAllOf(SqlSession &s, const QString &owner, qint64 nowMs)
{
    QStringList ids;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT id FROM holds WHERE owner = ? AND closed_at IS NULL"), {owner});
    while (q.next())
        ids.append(q.value(0).toString());
    q.finish();
    int released = 0;
    for (const QString &id : std::as_const(ids))
        released += release(s, id, nowMs) ? 1 : 0;
    return released;
}

Page<HoldRecord> HoldBook::list(SqlSession &s, const QString &userId, const QString &cursor, int limit)
{
    QList<HoldRecord> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM holds WHERE user_id = ? AND (? = '' OR id < ?) ORDER BY id DESC LIMIT ?"),
                          {userId, cursor, cursor, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const HoldRecord &h) { return h.id; });
}

int HoldBook::openCount(SqlSession &s)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT COUNT(*) FROM holds WHERE closed_at IS NULL"));
    return q.next() ? q.value(0).toInt() : 0;
}

} // namespace gw
