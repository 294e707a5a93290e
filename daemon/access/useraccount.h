#pragma once

#include "billing/ledgerposting.h"
#include "userrecord.h"

namespace gw {

// A user with the state of their credits.
struct UserAccount
{
    UserRecord user;
    AccountBalance balance;
};

} // namespace gw
