#pragma once

namespace gw {

class AdminRouteTable;
class CreditService;
class Ledger;
class UserService;

// /admin/v1/users: list, create, read, change; credits, ledger and holds per user.
class UsersController
{
public:
    static void registerRoutes(AdminRouteTable &routes, UserService &users, CreditService &credits, Ledger &ledger);
};

} // namespace gw
