#pragma once

#include "access/adminactor.h"
#include "common/callback.h"
#include "creditgrantspec.h"
#include "ledgerposting.h"
#include "store/page.h"

#include <QObject>

namespace gw {

class Store;

// Operator-side money movements (grants and adjustments) and ledger reads.
// The relay's holds, charges and refunds come with the billing issue and
// post through the same LedgerBook.
class CreditService
{
public:
    struct GrantResult
    {
        LedgerPosting posting;
        bool replayed = false;
        AccountBalance balance;
    };

    explicit CreditService(Store &store);

    void grant(const QString &userId, const CreditGrantSpec &spec, const AdminActor &actor, QObject *context,
               Callback<GrantResult> done);
    void ledger(const QString &userId, const QString &cursor, int limit, QObject *context,
                Callback<Page<LedgerPosting>> done);

private:
    Store &m_store;
};

} // namespace gw
