#pragma once

#include "common/callback.h"
#include "holdrecord.h"
#include "holdrequest.h"
#include "store/page.h"

#include <QObject>

#include <atomic>

namespace gw {

class Store;

// Money for calls: holds before, charges after. Every operation is durable
// when its completion runs (committed by the batched writer), which is what
// the relay waits for: a hold before the upstream call starts, a charge
// before the answer's last byte goes out. The database is the authority, with
// one conditional UPDATE per hold, so that one daemon or several sharing
// PostgreSQL never overspend.
class Ledger
{
public:
    Ledger(Store &store, const QString &owner);

    const QString &owner() const { return m_owner; }

    void openHold(const HoldRequest &request, QObject *context, Callback<HoldRecord> done);
    void settle(const QString &holdId, const SettleRequest &request, QObject *context, Callback<SettleResult> done);
    // Fire and forget: a call that delivered nothing gives its hold back. A
    // release lost to a crash is redone at the next start.
    void release(const QString &holdId);
    void holds(const QString &userId, const QString &cursor, int limit, QObject *context, Callback<Page<HoldRecord>> done);

    // Start-up: holds this daemon's previous run left open (its callers never
    // got a complete answer) are released. Blocking; not on an HTTP thread.
    int releaseDeadHolds(QString *error);

    quint64 overages() const { return m_overages.load(); }
    quint64 refusals() const { return m_refusals.load(); }

private:
    Store &m_store;
    QString m_owner;
    std::atomic<quint64> m_overages{0};
    std::atomic<quint64> m_refusals{0};
};

} // namespace gw
