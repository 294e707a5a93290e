#pragma once

namespace gw {

class AdminRouteTable;
class CreditService;
class UserService;

// /admin/v1/users: list, create, read, change; credits and ledger per user.
class UsersController
{
public:
    static void registerRoutes(AdminRouteTable &routes, UserService &users, CreditService &credits);
};

} // namespace gw
