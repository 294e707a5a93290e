#pragma once

#include "billing/ledgerposting.h"
#include "userrecord.h"

namespace gw {

// What an owner sees of their own account.
struct AccountSummary
{
    UserRecord user;
    AccountBalance balance;
    qint64 subscriptionRemaining = 0;
    QString subscriptionMonth;
};

} // namespace gw
