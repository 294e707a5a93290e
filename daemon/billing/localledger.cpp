#include "localledger.h"

#include "common/timeformat.h"
#include "holdbook.h"
#include "ledgereventbook.h"
#include "observability/logger.h"
#include "store/sqlsession.h"
#include "store/store.h"

#include <QPointer>

namespace gw {

namespace {
constexpr size_t kReplayChunk = 2000;

ServiceError journalFailure(const QString &detail)
{
    Logger::error("ledger journal write failed", {{"error", detail}});
    return ServiceError(QStringLiteral("The ledger could not record this; try again."), ServiceError::Kind::Unavailable);
}
} // namespace

LocalLedger::LocalLedger(Store &store, const QString &owner, const QString &journalDirectory)
    : m_store(store)
    , m_owner(owner)
    , m_journal(journalDirectory)
{
    // Batches that failed (the database was unavailable) are tried again.
    m_retryTimer.setInterval(1000);
    QObject::connect(&m_retryTimer, &QTimer::timeout, [this] { retryFlush(); });
    m_retryTimer.start();
}

LocalLedger::~LocalLedger()
{
    m_alive->store(false);
    m_journal.close();
}

QString LocalLedger::spendKey(const QString &projectId, const QString &month)
{
    return projectId + QLatin1Char('|') + month;
}

int LocalLedger::recover(QString *error)
{
    int damaged = 0;
    const std::vector<LedgerEvent> leftovers = m_journal.readLeftovers(&damaged, error);
    if (!error->isEmpty())
        return -1;
    if (damaged > 0)
        Logger::warning("skipped damaged ledger journal lines", {{"lines", damaged}});
    for (size_t start = 0; start < leftovers.size(); start += kReplayChunk) {
        std::vector<LedgerEvent> chunk(leftovers.begin() + qsizetype(start),
                                       leftovers.begin() + qsizetype(qMin(leftovers.size(), start + kReplayChunk)));
        auto o = m_store.writeAndWait<bool>([chunk](SqlSession &s) {
            LedgerEventBook::apply(s, chunk);
            return true;
        });
        if (!o.ok()) {
            *error = QStringLiteral("cannot replay the ledger journal: %1").arg(o.error().message());
            return -1;
        }
    }
    if (!leftovers.empty())
        Logger::info("replayed the ledger journal", {{"events", qint64(leftovers.size())}});
    m_journal.removeLeftovers();
    const QString owner = m_owner;
    auto released = m_store.writeAndWait<int>([owner](SqlSession &s) { return HoldBook::releaseAllOf(s, owner, TimeFormat::nowMs()); });
    if (!released.ok()) {
        *error = released.error().message();
        return -1;
    }
    if (released.value() > 0)
        Logger::warning("released holds left open by a previous run", {{"holds", released.value()}});
    if (!m_journal.open(error))
        return -1;
    return released.value();
}

void LocalLedger::openHold(const HoldRequest &request, QObject *context, Callback<HoldRecord> done)
{
    bool needsLoad = false;
    Outcome<HoldRecord> decided = decideHold(request, &needsLoad);
    if (needsLoad) {
        load(request, HoldBook::monthOf(TimeFormat::nowMs()), context, std::move(done));
        return;
    }
    done(std::move(decided));
}

Outcome<HoldRecord> LocalLedger::decideHold(const HoldRequest &r, bool *needsLoad)
{
    const qint64 now = TimeFormat::nowMs();
    const QString month = HoldBook::monthOf(now);
    std::unique_lock lock(m_mutex);
    auto account = m_accounts.find(r.userId);
    auto spend = r.projectId.isEmpty() ? m_spend.end() : m_spend.find(spendKey(r.projectId, month));
    if (account == m_accounts.end() || (!r.projectId.isEmpty() && spend == m_spend.end())) {
        *needsLoad = true;
        return ServiceError(QStringLiteral("not loaded"));
    }
    QString error;
    if (!rollLocked(*account, r.userId, r.monthlyAllowance, now, &error))
        return journalFailure(error);
    const qint64 available = account->balance - account->held;
    if (available < r.amount) {
        lock.unlock();
        ++m_refusals;
        return HoldBook::insufficientCredits(available, r.amount);
    }
    if (spend != m_spend.end() && r.projectBudget && spend->charged + spend->held + r.amount > *r.projectBudget) {
        const qint64 used = spend->charged + spend->held;
        lock.unlock();
        ++m_refusals;
        return HoldBook::budgetReached(used, *r.projectBudget, r.amount);
    }
    const HoldRecord h = HoldBook::newHold(r, m_owner, now);
    LedgerEvent e = LedgerEvent::ofHold(LedgerEvent::Kind::HoldOpened, h);
    if (!recordLocked(e, &error))
        return journalFailure(error);
    account->held += r.amount;
    if (spend != m_spend.end())
        spend->held += r.amount;
    m_open.insert(h.id, h);
    return h;
}

void LocalLedger::load(const HoldRequest &request, const QString &month, QObject *context, Callback<HoldRecord> done)
{
    // Read in the writer's queue: everything committed before is seen, and
    // the result is installed on the writer thread before anything queued
    // after it can run.
    auto loaded = std::make_shared<Loaded>();
    const QString userId = request.userId;
    const QString projectId = request.projectId;
    StoreJob job;
    job.run = [loaded, userId, projectId, month](SqlSession &s) {
        QSqlQuery &q = s.exec(QStringLiteral("SELECT balance, held, subscription_remaining, subscription_month FROM balances "
                                             "WHERE user_id = ?"),
                              {userId});
        Account a;
        if (q.next()) {
            a.balance = q.value(0).toLongLong();
            a.held = q.value(1).toLongLong();
            a.subscriptionRemaining = q.value(2).toLongLong();
            a.subscriptionMonth = q.value(3).toString();
        }
        q.finish();
        loaded->account = a;
        if (!projectId.isEmpty()) {
            QSqlQuery &p = s.exec(QStringLiteral("SELECT charged, held FROM project_spend WHERE project_id = ? AND month = ?"),
                                  {projectId, month});
            Spend sp;
            if (p.next()) {
                sp.charged = p.value(0).toLongLong();
                sp.held = p.value(1).toLongLong();
            }
            p.finish();
            loaded->spend = sp;
        }
    };
    QPointer<QObject> guard(context);
    auto finish = std::make_shared<Callback<HoldRecord>>(std::move(done));
    auto alive = m_alive;
    auto continueOnCaller = [this, guard, finish, request, alive](std::optional<ServiceError> failure) {
        if (!guard)
            return;
        QMetaObject::invokeMethod(guard.data(), [this, finish, request, alive, failure]() {
            if (!alive->load())
                return;
            if (failure) {
                (*finish)(*failure);
                return;
            }
            bool needsLoad = false;
            Outcome<HoldRecord> decided = decideHold(request, &needsLoad);
            if (needsLoad)
                decided = Outcome<HoldRecord>(ServiceError(QStringLiteral("The ledger could not load the account; try again."),
                                                           ServiceError::Kind::Unavailable));
            (*finish)(std::move(decided));
        }, Qt::QueuedConnection);
    };
    job.committed = [this, loaded, userId, projectId, month, continueOnCaller]() {
        {
            std::lock_guard lock(m_mutex);
            if (loaded->account && !m_accounts.contains(userId))
                m_accounts.insert(userId, *loaded->account);
            if (loaded->spend && !m_spend.contains(spendKey(projectId, month)))
                m_spend.insert(spendKey(projectId, month), *loaded->spend);
        }
        continueOnCaller(std::nullopt);
    };
    job.failed = [continueOnCaller](const StoreError &e) { continueOnCaller(ServiceError(e.message(), ServiceError::Kind::Unavailable)); };
    m_store.submitWrite(std::move(job));
}

bool LocalLedger::rollLocked(Account &account, const QString &userId, qint64 allowance, qint64 nowMs, QString *error)
{
    const QString month = HoldBook::monthOf(nowMs);
    if (account.subscriptionMonth == month || (allowance <= 0 && account.subscriptionRemaining <= 0))
        return true;
    LedgerEvent e;
    e.kind = LedgerEvent::Kind::SubscriptionRolled;
    e.userId = userId;
    e.atMs = nowMs;
    e.month = month;
    e.previousMonth = account.subscriptionMonth;
    e.expired = qMax<qint64>(0, account.subscriptionRemaining);
    e.granted = qMax<qint64>(0, allowance);
    if (!recordLocked(e, error))
        return false;
    account.balance += e.granted - e.expired;
    account.subscriptionRemaining = e.granted;
    account.subscriptionMonth = month;
    return true;
}

bool LocalLedger::recordLocked(LedgerEvent &event, QString *error)
{
    if (!m_journal.append(event, error))
        return false;
    m_pending.push_back(event);
    queueFlushLocked();
    return true;
}

void LocalLedger::settle(const QString &holdId, const SettleRequest &r, QObject *, Callback<SettleResult> done)
{
    Outcome<SettleResult> outcome = decideSettle(holdId, r);
    if (outcome.ok() && outcome.value().overage > 0)
        ++m_overages;
    done(std::move(outcome)); // outside the lock: the caller may release at once
}

Outcome<SettleResult> LocalLedger::decideSettle(const QString &holdId, const SettleRequest &r)
{
    const qint64 now = TimeFormat::nowMs();
    QString error;
    std::lock_guard lock(m_mutex);
    auto hold = m_open.find(holdId);
    if (hold == m_open.end())
        return ServiceError::notFound(QStringLiteral("no open hold %1").arg(holdId));
    Account &account = m_accounts[hold->userId];
    const bool team = hold->paidBy == QLatin1String("team");
    if (!team && !rollLocked(account, hold->userId, r.monthlyAllowance, now, &error))
        return journalFailure(error);
    const qint64 charge = qMax<qint64>(0, r.charge);
    // A subscription's allowance pays first; the prepaid balance (or, for a
    // team project, the owner's balance) pays the rest.
    const qint64 allowance = team ? 0 : qMax<qint64>(0, account.subscriptionRemaining);
    LedgerEvent e = LedgerEvent::ofHold(LedgerEvent::Kind::HoldCharged, *hold);
    e.atMs = now;
    e.fromAllowance = qMin(allowance, charge);
    e.fromBalance = charge - e.fromAllowance;
    e.reason = r.reason;
    if (!recordLocked(e, &error))
        return journalFailure(error);
    account.balance -= charge;
    account.held -= hold->amount;
    account.subscriptionRemaining -= e.fromAllowance;
    if (!hold->projectId.isEmpty()) {
        Spend &spend = m_spend[spendKey(hold->projectId, HoldBook::monthOf(hold->openedAtMs))];
        spend.held -= hold->amount;
        spend.charged += charge;
    }
    SettleResult result;
    result.charged = charge;
    result.overage = qMax<qint64>(0, charge - hold->amount);
    m_open.erase(hold);
    return result;
}

void LocalLedger::release(const QString &holdId)
{
    std::lock_guard lock(m_mutex);
    auto hold = m_open.find(holdId);
    if (hold == m_open.end())
        return;
    LedgerEvent e = LedgerEvent::ofHold(LedgerEvent::Kind::HoldReleased, *hold);
    e.atMs = TimeFormat::nowMs();
    QString error;
    // Released in memory even if the journal fails: a hold a crash leaves
    // open is released at the next start anyway.
    if (!recordLocked(e, &error))
        Logger::error("ledger journal write failed", {{"error", error}});
    m_accounts[hold->userId].held -= hold->amount;
    if (!hold->projectId.isEmpty())
        m_spend[spendKey(hold->projectId, HoldBook::monthOf(hold->openedAtMs))].held -= hold->amount;
    m_open.erase(hold);
}

void LocalLedger::queueFlushLocked()
{
    if (m_flushQueued || m_pending.empty())
        return;
    m_flushQueued = true;
    auto batch = std::make_shared<std::vector<LedgerEvent>>();
    StoreJob job;
    job.run = [this, batch](SqlSession &s) {
        {
            std::lock_guard lock(m_mutex);
            batch->swap(m_pending);
            m_flushQueued = false;
        }
        LedgerEventBook::apply(s, *batch);
    };
    job.committed = [this, batch]() { m_journal.committed(*batch); };
    job.background = true; // journaled already: nobody waits for the database
    job.failed = [this, batch](const StoreError &e) {
        Logger::error("ledger batch not written; it is retried", {{"events", qint64(batch->size())}, {"error", e.message()}});
        std::lock_guard lock(m_mutex);
        if (batch->empty()) {
            m_flushQueued = false; // failed before it ran
            return;
        }
        m_pending.insert(m_pending.begin(), batch->begin(), batch->end());
        // The timer queues the retry, so that a database that is down is
        // not hammered.
    };
    m_store.submitWrite(std::move(job));
}

void LocalLedger::retryFlush()
{
    std::lock_guard lock(m_mutex);
    queueFlushLocked();
}

void LocalLedger::flush()
{
    retryFlush();
}

size_t LocalLedger::backlog() const
{
    std::lock_guard lock(m_mutex);
    return m_pending.size();
}

void LocalLedger::holds(const QString &userId, const QString &cursor, int limit, QObject *context, Callback<Page<HoldRecord>> done)
{
    // Through the writer's queue, behind the batches of decisions already made.
    m_store.write<Page<HoldRecord>>(context, [userId, cursor, limit](SqlSession &s) { return HoldBook::list(s, userId, cursor, limit); },
                                    std::move(done));
}

std::optional<AccountBalance> LocalLedger::balanceOf(const QString &userId) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_accounts.constFind(userId);
    if (it == m_accounts.cend())
        return std::nullopt;
    return AccountBalance{it->balance, it->held};
}

void LocalLedger::grantCommitted(const QString &userId, qint64 amount)
{
    std::lock_guard lock(m_mutex);
    auto it = m_accounts.find(userId);
    if (it != m_accounts.end())
        it->balance += amount;
}

} // namespace gw
