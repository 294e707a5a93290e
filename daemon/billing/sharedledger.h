#pragma once

#include "ledger.h"

#include <atomic>

namespace gw {

class Store;

// The database as the authority: every hold is one conditional UPDATE of the
// balance row ("balance - held >= amount") committed by the batched writer
// before the call goes upstream, so that several daemons sharing PostgreSQL
// never overspend. Each operation waits for its group commit.
class SharedLedger final : public Ledger
{
public:
    SharedLedger(Store &store, const QString &owner);

    void openHold(const HoldRequest &request, QObject *context, Callback<HoldRecord> done) override;
    void settle(const QString &holdId, const SettleRequest &request, QObject *context, Callback<SettleResult> done) override;
    void release(const QString &holdId) override;
    void holds(const QString &userId, const QString &cursor, int limit, QObject *context,
               Callback<Page<HoldRecord>> done) override;
    int recover(QString *error) override;
    void flush() override {}
    std::optional<AccountBalance> balanceOf(const QString &) const override { return std::nullopt; }
    void grantCommitted(const QString &, qint64) override {}
    bool readsFollowWrites() const override { return false; }
    QString mode() const override { return QStringLiteral("shared"); }
    quint64 overages() const override { return m_overages.load(); }
    quint64 refusals() const override { return m_refusals.load(); }
    size_t backlog() const override { return 0; }

private:
    Store &m_store;
    QString m_owner;
    std::atomic<quint64> m_overages{0};
    std::atomic<quint64> m_refusals{0};
};

} // namespace gw
