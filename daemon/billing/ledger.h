#pragma once

#include "common/callback.h"
#include "holdrecord.h"
#include "holdrequest.h"
#include "ledgerposting.h"
#include "store/page.h"

#include <QObject>

#include <optional>

namespace gw {

// Money for calls: holds before, charges after. Every operation is durable
// when its completion runs, which is what the relay waits for: a hold before
// the upstream call starts, a charge before the answer's last byte goes out.
// Two authorities implement it (ARCHITECTURE.md): LocalLedger, where this
// daemon decides in memory and a journal makes each decision durable, and
// SharedLedger, where the database decides with one conditional UPDATE per
// hold, so that several daemons sharing PostgreSQL never overspend.
class Ledger
{
public:
    virtual ~Ledger() = default;

    virtual void openHold(const HoldRequest &request, QObject *context, Callback<HoldRecord> done) = 0;
    virtual void settle(const QString &holdId, const SettleRequest &request, QObject *context, Callback<SettleResult> done) = 0;
    // Fire and forget: a call that delivered nothing gives its hold back. A
    // release lost to a crash is redone at the next start.
    virtual void release(const QString &holdId) = 0;
    virtual void holds(const QString &userId, const QString &cursor, int limit, QObject *context,
                       Callback<Page<HoldRecord>> done) = 0;

    // Start-up, before any call: makes what the previous run decided durable
    // in the database and releases the holds it left open (their callers
    // never got a complete answer). Blocking; not on an HTTP thread.
    virtual int recover(QString *error) = 0;
    // Shutdown: everything decided so far reaches the database.
    virtual void flush() = 0;

    // The authority's own view of an account, when it has one in memory
    // (fresher than the database, which may lag it by a batch).
    virtual std::optional<AccountBalance> balanceOf(const QString &userId) const = 0;
    // An operator's grant or adjustment was committed; runs on the writer
    // thread right after the commit, in the order of the database's writes.
    virtual void grantCommitted(const QString &userId, qint64 amount) = 0;
    // Whether reads of postings and holds must queue behind pending writes
    // to see every decision already answered.
    virtual bool readsFollowWrites() const = 0;

    virtual QString mode() const = 0;
    virtual quint64 overages() const = 0;
    virtual quint64 refusals() const = 0;
    virtual size_t backlog() const = 0;
};

} // namespace gw
