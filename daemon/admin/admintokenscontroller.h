#pragma once

namespace gw {

class AdminRouteTable;
class AdminTokenService;

// /admin/v1/admin-tokens: list, issue, revoke.
class AdminTokensController
{
public:
    static void registerRoutes(AdminRouteTable &routes, AdminTokenService &tokens);
};

} // namespace gw
