#pragma once

#include "ledgerposting.h"
#include "store/page.h"

namespace gw {

class SqlSession;

// The ledger's SQL, run inside the writer's transaction: every posting and
// the balance row it changes are written together, so the balance row always
// equals the sum of the postings.
class LedgerBook
{
public:
    struct PostResult
    {
        LedgerPosting posting;
        bool replayed = false; // the idempotency key had been used for this very posting
    };

    static void openAccount(SqlSession &s, const QString &userId, qint64 nowMs);
    static AccountBalance balance(SqlSession &s, const QString &userId);
    // Posts `draft` (its amount and type) and returns it with its id and
    // balance after. Refuses (Invalid, field "amount") to take the balance
    // below zero unless `allowNegative`; a reused idempotency key returns the
    // earlier posting, or a Conflict when the key came with another amount.
    static PostResult post(SqlSession &s, LedgerPosting draft, bool allowNegative);
    // Newest first.
    static Page<LedgerPosting> list(SqlSession &s, const QString &userId, const QString &cursor, int limit);
    static qint64 sumOfPostings(SqlSession &s, const QString &userId);
    // Appends a posting whose balance_after the caller has computed (and
    // whose balance row the caller updates in the same transaction).
    static qint64 insertPosting(SqlSession &s, const LedgerPosting &posting);
};

} // namespace gw
