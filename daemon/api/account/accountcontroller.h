#pragma once

namespace gw {

class GatewayCore;
class HttpRouter;

// Owner self-service (seed 000's console pages, headless), for keys with the
// manage scope: GET /v1/account, /v1/account/usage, /v1/account/ledger,
// GET/POST /v1/account/keys, DELETE /v1/account/keys/{id},
// GET /v1/account/projects, PATCH /v1/account/projects/{id}. An owner only
// ever sees and changes their own account.
class AccountController
{
public:
    static void registerRoutes(HttpRouter &router, GatewayCore &core);
};

} // namespace gw
