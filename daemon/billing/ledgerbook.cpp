#include "ledgerbook.h"

#include "common/serviceerror.h"
#include "credits.h"
#include "store/sqlsession.h"
#include "store/sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral(
    "id, user_id, project_id, key_id, request_id, task_id, type, amount, balance_after, paid_by, reason, "
    "idempotency_key, created_by, created_at");

LedgerPosting fromQuery(const QSqlQuery &q)
{
    LedgerPosting p;
    p.id = q.value(0).toLongLong();
    p.userId = q.value(1).toString();
    p.projectId = q.value(2).toString();
    p.keyId = q.value(3).toString();
    p.requestId = q.value(4).toString();
    p.taskId = q.value(5).toString();
    p.type = q.value(6).toString();
    p.amount = q.value(7).toLongLong();
    p.balanceAfter = q.value(8).toLongLong();
    p.paidBy = q.value(9).toString();
    p.reason = q.value(10).toString();
    p.idempotencyKey = q.value(11).toString();
    p.createdBy = q.value(12).toString();
    p.createdAtMs = q.value(13).toLongLong();
    return p;
}

} // namespace

void LedgerBook::openAccount(SqlSession &s, const QString &userId, qint64 nowMs)
{
    s.run(QStringLiteral("INSERT INTO balances (user_id, balance, held, updated_at) VALUES (?, 0, 0, ?) "
                          "ON CONFLICT (user_id) DO NOTHING"),
           {userId, nowMs});
}

AccountBalance LedgerBook::balance(SqlSession &s, const QString &userId)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT balance, held FROM balances WHERE user_id = ?"), {userId});
    AccountBalance b;
    if (q.next()) {
        b.balance = q.value(0).toLongLong();
        b.held = q.value(1).toLongLong();
    }
    return b;
}

LedgerBook::PostResult LedgerBook::post(SqlSession &s, LedgerPosting draft, bool allowNegative)
{
    if (!draft.idempotencyKey.isEmpty()) {
        QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                                  + QStringLiteral(" FROM ledger_postings WHERE user_id = ? AND idempotency_key = ?"),
                              {draft.userId, draft.idempotencyKey});
        if (q.next()) {
            LedgerPosting earlier = fromQuery(q);
            q.finish();
            if (earlier.amount != draft.amount || earlier.type != draft.type)
                throw ServiceError(QStringLiteral("idempotency_key %1 was already used for a posting of %2 credits")
                                       .arg(draft.idempotencyKey, Credits::format(earlier.amount)),
                                   ServiceError::Kind::Conflict, QStringLiteral("idempotency_key"));
            return {earlier, true};
        }
    }
    // PostgreSQL: lock the balance row so that concurrent writers (several
    // daemons) serialise here; SQLite's writer already holds the database lock.
    QSqlQuery &q = s.exec(s.isPostgres() ? QStringLiteral("SELECT balance FROM balances WHERE user_id = ? FOR UPDATE")
                                         : QStringLiteral("SELECT balance FROM balances WHERE user_id = ?"),
                          {draft.userId});
    if (!q.next())
        throw ServiceError::notFound(QStringLiteral("user %1 has no ledger account").arg(draft.userId));
    const qint64 before = q.value(0).toLongLong();
    q.finish();
    const qint64 after = before + draft.amount;
    if (!allowNegative && draft.amount < 0 && after < 0)
        throw ServiceError::invalid(QStringLiteral("amount"),
                                    QStringLiteral("would take the balance below zero (balance %1)").arg(Credits::format(before)));
    draft.balanceAfter = after;
    draft.id = insertPosting(s, draft);
    s.run(QStringLiteral("UPDATE balances SET balance = ?, updated_at = ? WHERE user_id = ?"),
           {after, draft.createdAtMs, draft.userId});
    return {draft, false};
}

Page<LedgerPosting> LedgerBook::list(SqlSession &s, const QString &userId, const QString &cursor, int limit)
{
    bool ok = false;
    qint64 before = cursor.toLongLong(&ok);
    if (!ok || before <= 0)
        before = std::numeric_limits<qint64>::max();
    QList<LedgerPosting> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM ledger_postings WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?"),
                          {userId, before, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const LedgerPosting &p) { return QString::number(p.id); });
}

qint64 LedgerBook::insertPosting(SqlSession &s, const LedgerPosting &p)
{
    QSqlQuery &ins = s.exec(
        QStringLiteral("INSERT INTO ledger_postings (user_id, project_id, key_id, request_id, task_id, type, amount, "
                       "balance_after, paid_by, reason, idempotency_key, created_by, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
        {p.userId, SqlValues::nullableText(p.projectId), SqlValues::nullableText(p.keyId),
         SqlValues::nullableText(p.requestId), SqlValues::nullableText(p.taskId), p.type, p.amount, p.balanceAfter,
         p.paidBy, p.reason, SqlValues::nullableText(p.idempotencyKey), SqlValues::nullableText(p.createdBy),
         p.createdAtMs});
    if (!ins.next())
        throw ServiceError(QStringLiteral("the ledger insert returned no id"));
    const qint64 id = ins.value(0).toLongLong();
    ins.finish();
    return id;
}

qint64 LedgerBook::sumOfPostings(SqlSession &s, const QString &userId)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT COALESCE(SUM(amount), 0) FROM ledger_postings WHERE user_id = ?"), {userId});
    return q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace gw
