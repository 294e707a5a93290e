#pragma once

#include "holdrecord.h"
#include "common/serviceerror.h"
#include "holdrequest.h"
#include "store/page.h"

namespace gw {

class SqlSession;

// The SQL of holds, run inside the writer's transaction together with the
// balance (and project spend) rows they change. Opening a hold is one
// conditional UPDATE of the balance row ("balance - held >= amount"), which
// is also what keeps several daemons sharing PostgreSQL from overspending.
class HoldBook
{
public:
    // Throws ServiceError(PaymentRequired) saying which limit refused.
    static HoldRecord open(SqlSession &s, const HoldRequest &request, const QString &owner, qint64 nowMs);
    // Charges `charge` (possibly more than the hold) and closes the hold;
    // a hold already closed is left alone (a retried settle posts once).
    static SettleResult settle(SqlSession &s, const QString &holdId, const SettleRequest &request, qint64 nowMs);
    static bool release(SqlSession &s, const QString &holdId, qint64 nowMs);
    // Holds a dead incarnation of `owner` left open: released, balances fixed.
    static int releaseAllOf(SqlSession &s, const QString &owner, qint64 nowMs);
    static Page<HoldRecord> list(SqlSession &s, const QString &userId, const QString &cursor, int limit);
    static int openCount(SqlSession &s);

    // Starts a new subscription month for the user if one began: the rest of
    // the old allowance expires and the new one is granted, both as postings.
    static void rollSubscription(SqlSession &s, const QString &userId, qint64 monthlyAllowance, qint64 nowMs);
    static QString monthOf(qint64 ms);
    // Shared with the local ledger, which decides the same way in memory.
    static HoldRecord newHold(const HoldRequest &request, const QString &owner, qint64 nowMs);
    static ServiceError insufficientCredits(qint64 available, qint64 amount);
    static ServiceError budgetReached(qint64 used, qint64 budget, qint64 amount);
};

} // namespace gw
