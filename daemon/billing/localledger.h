#pragma once

#include "ledger.h"
#include "ledgerevent.h"
#include "ledgerjournal.h"

#include <QHash>
#include <QTimer>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace gw {

class Store;

// This daemon as the authority (one machine, the embedded default): balances,
// open holds and project spend live in memory, each decision is made under
// one lock, made durable by one journal append, and answered at once; the
// database follows in batches through the writer (LedgerEventBook). Accounts
// come into memory on their first call, read in the writer's order, so that
// nothing written before is missed.
class LocalLedger final : public Ledger
{
public:
    LocalLedger(Store &store, const QString &owner, const QString &journalDirectory);
    ~LocalLedger() override;

    void openHold(const HoldRequest &request, QObject *context, Callback<HoldRecord> done) override;
    void settle(const QString &holdId, const SettleRequest &request, QObject *context, Callback<SettleResult> done) override;
    void release(const QString &holdId) override;
    void holds(const QString &userId, const QString &cursor, int limit, QObject *context,
               Callback<Page<HoldRecord>> done) override;
    int recover(QString *error) override;
    void flush() override;
    std::optional<AccountBalance> balanceOf(const QString &userId) const override;
    void grantCommitted(const QString &userId, qint64 amount) override;
    bool readsFollowWrites() const override { return true; }
    QString mode() const override { return QStringLiteral("local"); }
    quint64 overages() const override { return m_overages.load(); }
    quint64 refusals() const override { return m_refusals.load(); }
    size_t backlog() const override;

private:
    struct Account
    {
        qint64 balance = 0;
        qint64 held = 0;
        qint64 subscriptionRemaining = 0;
        QString subscriptionMonth;
    };
    struct Spend
    {
        qint64 charged = 0;
        qint64 held = 0;
    };
    struct Loaded
    {
        std::optional<Account> account;
        std::optional<Spend> spend;
    };

    static QString spendKey(const QString &projectId, const QString &month);
    void load(const HoldRequest &request, const QString &month, QObject *context, Callback<HoldRecord> done);
    Outcome<HoldRecord> decideHold(const HoldRequest &request, bool *needsLoad);
    Outcome<SettleResult> decideSettle(const QString &holdId, const SettleRequest &request);
    bool rollLocked(Account &account, const QString &userId, qint64 allowance, qint64 nowMs, QString *error);
    bool recordLocked(LedgerEvent &event, QString *error);
    void queueFlushLocked();
    void retryFlush();

    Store &m_store;
    QString m_owner;
    LedgerJournal m_journal;
    mutable std::mutex m_mutex;
    QHash<QString, Account> m_accounts;
    QHash<QString, Spend> m_spend;
    QHash<QString, HoldRecord> m_open;
    std::vector<LedgerEvent> m_pending;
    bool m_flushQueued = false;
    std::shared_ptr<std::atomic<bool>> m_alive = std::make_shared<std::atomic<bool>>(true);
    QTimer m_retryTimer;
    std::atomic<quint64> m_overages{0};
    std::atomic<quint64> m_refusals{0};
};

} // namespace gw
