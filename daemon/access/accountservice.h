#pragma once

#include "accountsummary.h"
#include "common/callback.h"

#include <QObject>

namespace gw {

class Store;

// The owner's own view of their account (GET /v1/account). Keys, usage,
// ledger and projects reuse the services operators use, scoped to the owner.
class AccountService
{
public:
    explicit AccountService(Store &store);

    void summary(const QString &userId, QObject *context, Callback<AccountSummary> done);

private:
    Store &m_store;
};

} // namespace gw
