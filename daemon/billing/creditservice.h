#pragma once

#include "access/adminactor.h"
#include "common/callback.h"
#include "creditgrantspec.h"
#include "ledgerposting.h"
#include "store/page.h"

#include <QObject>

namespace gw {

class Ledger;
class Store;

// Operator-side money movements (grants and adjustments) and ledger reads.
// Grants are written to the database first; the ledger's authority hears of
// each one on the writer thread right after its commit.
class CreditService
{
public:
    struct GrantResult
    {
        LedgerPosting posting;
        bool replayed = false;
        AccountBalance balance;
    };

    CreditService(Store &store, Ledger &ledger);

    void grant(const QString &userId, const CreditGrantSpec &spec, const AdminActor &actor, QObject *context,
               Callback<GrantResult> done);
    void ledger(const QString &userId, const QString &cursor, int limit, QObject *context,
                Callback<Page<LedgerPosting>> done);

private:
    Store &m_store;
    Ledger &m_ledger;
};

} // namespace gw
