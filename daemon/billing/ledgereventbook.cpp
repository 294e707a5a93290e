#include "ledgereventbook.h"

#include "holdbook.h"
#include "store/sqlsession.h"
#include "store/sqlvalues.h"

#include <QHash>

namespace gw {

namespace {

struct AccountRow
{
    qint64 balance = 0;
    qint64 held = 0;
    qint64 subscriptionRemaining = 0;
    QString subscriptionMonth;
};

struct SpendRow
{
    qint64 charged = 0;
    qint64 held = 0;
};

// The rows one batch touches, read once and written once at its end.
class BatchState
{
public:
    explicit BatchState(SqlSession &s)
        : m_s(s)
    {
    }

    AccountRow &account(const QString &userId, qint64 nowMs)
    {
        auto it = m_accounts.find(userId);
        if (it != m_accounts.end())
            return *it;
        m_s.run(QStringLiteral("INSERT INTO balances (user_id, balance, held, updated_at) VALUES (?, 0, 0, ?) "
                                "ON CONFLICT (user_id) DO NOTHING"),
                 {userId, nowMs});
        QSqlQuery &q = m_s.exec(m_s.isPostgres()
                                    ? QStringLiteral("SELECT balance, held, subscription_remaining, subscription_month "
                                                     "FROM balances WHERE user_id = ? FOR UPDATE")
                                    : QStringLiteral("SELECT balance, held, subscription_remaining, subscription_month "
                                                     "FROM balances WHERE user_id = ?"),
                                {userId});
        AccountRow row;
        if (q.next()) {
            row.balance = q.value(0).toLongLong();
            row.held = q.value(1).toLongLong();
            row.subscriptionRemaining = q.value(2).toLongLong();
            row.subscriptionMonth = q.value(3).toString();
        }
        q.finish();
        return *m_accounts.insert(userId, row);
    }

    SpendRow *spend(const QString &projectId, const QString &month)
    {
        if (projectId.isEmpty())
            return nullptr;
        const QString key = projectId + QLatin1Char('|') + month;
        auto it = m_spend.find(key);
        if (it != m_spend.end())
            return &*it;
        m_s.run(QStringLiteral("INSERT INTO project_spend (project_id, month, charged, held) VALUES (?, ?, 0, 0) "
                                "ON CONFLICT (project_id, month) DO NOTHING"),
                 {projectId, month});
        QSqlQuery &q = m_s.exec(QStringLiteral("SELECT charged, held FROM project_spend WHERE project_id = ? AND month = ?"),
                                {projectId, month});
        SpendRow row;
        if (q.next()) {
            row.charged = q.value(0).toLongLong();
            row.held = q.value(1).toLongLong();
        }
        q.finish();
        return &*m_spend.insert(key, row);
    }

    void post(const LedgerEvent &e, AccountRow &account, const QString &type, qint64 amount, const QString &paidBy,
              const QString &reason, qint64 atMs)
    {
        account.balance += amount;
        m_s.run(QStringLiteral("INSERT INTO ledger_postings (user_id, project_id, key_id, request_id, task_id, type, amount, "
                                "balance_after, paid_by, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                 {e.userId, SqlValues::nullableText(e.projectId), SqlValues::nullableText(e.keyId),
                  SqlValues::nullableText(e.requestId), SqlValues::nullableText(e.taskId), type, amount, account.balance,
                  paidBy, reason, atMs});
    }

    void writeBack(qint64 nowMs)
    {
        for (auto it = m_accounts.cbegin(); it != m_accounts.cend(); ++it) {
            m_s.run(QStringLiteral("UPDATE balances SET balance = ?, held = ?, subscription_remaining = ?, subscription_month = ?, "
                                    "updated_at = ? WHERE user_id = ?"),
                     {it->balance, it->held, it->subscriptionRemaining, SqlValues::nullableText(it->subscriptionMonth), nowMs,
                      it.key()});
        }
        for (auto it = m_spend.cbegin(); it != m_spend.cend(); ++it) {
            const qsizetype bar = it.key().lastIndexOf(QLatin1Char('|'));
            m_s.run(QStringLiteral("UPDATE project_spend SET charged = ?, held = ? WHERE project_id = ? AND month = ?"),
                     {it->charged, it->held, it.key().left(bar), it.key().mid(bar + 1)});
        }
    }

private:
    SqlSession &m_s;
    QHash<QString, AccountRow> m_accounts;
    QHash<QString, SpendRow> m_spend;
};

QString outcomeOf(const LedgerEvent &e)
{
    return e.kind == LedgerEvent::Kind::HoldCharged ? QStringLiteral("charged") : QStringLiteral("released");
}

void applyOpened(BatchState &b, const LedgerEvent &e)
{
    b.account(e.userId, e.openedAtMs).held += e.holdAmount;
    if (SpendRow *spend = b.spend(e.projectId, HoldBook::monthOf(e.openedAtMs)))
        spend->held += e.holdAmount;
}

void applyClosed(BatchState &b, const LedgerEvent &e)
{
    AccountRow &account = b.account(e.userId, e.atMs);
    account.held -= e.holdAmount;
    if (e.kind == LedgerEvent::Kind::HoldCharged) {
        if (e.fromAllowance > 0) {
            b.post(e, account, QStringLiteral("charge"), -e.fromAllowance, QStringLiteral("subscription"), e.reason, e.atMs);
            account.subscriptionRemaining -= e.fromAllowance;
        }
        if (e.fromBalance > 0)
            b.post(e, account, QStringLiteral("charge"), -e.fromBalance,
                   e.paidBy == QLatin1String("team") ? QStringLiteral("team") : QStringLiteral("prepaid"), e.reason, e.atMs);
    }
    if (SpendRow *spend = b.spend(e.projectId, HoldBook::monthOf(e.openedAtMs))) {
        spend->held -= e.holdAmount;
        if (e.kind == LedgerEvent::Kind::HoldCharged)
            spend->charged += e.charge();
    }
}

void applyRolled(BatchState &b, const LedgerEvent &e)
{
    AccountRow &account = b.account(e.userId, e.atMs);
    if (account.subscriptionMonth == e.month)
        return; // this month has begun already
    LedgerEvent posting = e;
    posting.projectId.clear();
    posting.keyId.clear();
    posting.requestId.clear();
    posting.taskId.clear();
    if (e.expired > 0)
        b.post(posting, account, QStringLiteral("adjustment"), -e.expired, QStringLiteral("subscription"),
               QStringLiteral("subscription allowance for %1 expired")
                   .arg(e.previousMonth.isEmpty() ? QStringLiteral("the last month") : e.previousMonth),
               e.atMs);
    if (e.granted > 0)
        b.post(posting, account, QStringLiteral("grant"), e.granted, QStringLiteral("subscription"),
               QStringLiteral("subscription allowance for %1").arg(e.month), e.atMs);
    account.subscriptionRemaining = qMax<qint64>(0, e.granted);
    account.subscriptionMonth = e.month;
}

bool insertHold(SqlSession &s, const LedgerEvent &open, const LedgerEvent *close)
{
    const QString sql = QStringLiteral(
        "INSERT INTO holds (id, user_id, project_id, key_id, request_id, task_id, model, owner, paid_by, amount, opened_at, "
        "closed_at, outcome, charged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
    return s.run(sql, {open.holdId, open.userId, SqlValues::nullableText(open.projectId), SqlValues::nullableText(open.keyId),
                 SqlValues::nullableText(open.requestId), SqlValues::nullableText(open.taskId),
                 SqlValues::nullableText(open.model), open.owner, open.paidBy, open.holdAmount, open.openedAtMs,
                 close ? QVariant(close->atMs) : QVariant(QMetaType(QMetaType::LongLong)),
                 close ? QVariant(outcomeOf(*close)) : QVariant(QMetaType(QMetaType::QString)),
                 close ? QVariant(close->kind == LedgerEvent::Kind::HoldCharged ? close->charge() : 0)
                       : QVariant(QMetaType(QMetaType::LongLong))}) == 1;
}

bool closeHold(SqlSession &s, const LedgerEvent &e)
{
    const QString sql = QStringLiteral("UPDATE holds SET closed_at = ?, outcome = ?, charged = ? WHERE id = ? AND closed_at IS NULL");
    return s.run(sql, {e.atMs, outcomeOf(e), e.kind == LedgerEvent::Kind::HoldCharged ? e.charge() : 0, e.holdId}) == 1;
}

} // namespace

void LedgerEventBook::apply(SqlSession &s, const std::vector<LedgerEvent> &events)
{
    if (events.empty())
        return;
    // Holds that open and close within this batch are written once, closed.
    // Not across a subscription roll, whose postings must stay in order.
    QHash<QString, size_t> closing;
    std::vector<size_t> rollsBefore(events.size() + 1, 0);
    for (size_t i = 0; i < events.size(); ++i) {
        const auto k = events[i].kind;
        if (k == LedgerEvent::Kind::HoldCharged || k == LedgerEvent::Kind::HoldReleased)
            closing.insert(events[i].holdId, i);
        rollsBefore[i + 1] = rollsBefore[i] + (k == LedgerEvent::Kind::SubscriptionRolled ? 1 : 0);
    }
    std::vector<bool> done(events.size(), false);
    BatchState b(s);
    qint64 lastMs = 0;
    for (size_t i = 0; i < events.size(); ++i) {
        const LedgerEvent &e = events[i];
        lastMs = qMax(lastMs, qMax(e.atMs, e.openedAtMs));
        if (done[i])
            continue;
        switch (e.kind) {
        case LedgerEvent::Kind::HoldOpened: {
            const auto c = closing.constFind(e.holdId);
            const bool closesHere = c != closing.cend() && *c > i && rollsBefore[*c] == rollsBefore[i];
            const LedgerEvent *close = closesHere ? &events[*c] : nullptr;
            if (insertHold(s, e, close)) {
                applyOpened(b, e);
                if (close) {
                    applyClosed(b, *close);
                    done[*c] = true;
                }
            }
            break;
        }
        case LedgerEvent::Kind::HoldCharged:
        case LedgerEvent::Kind::HoldReleased:
            if (closeHold(s, e))
                applyClosed(b, e);
            break;
        case LedgerEvent::Kind::SubscriptionRolled:
            applyRolled(b, e);
            break;
        }
    }
    b.writeBack(lastMs);
}

} // namespace gw
