#pragma once

namespace gw {

class AdminRouteTable;
class ApiKeyService;

// /admin/v1/users/{id}/keys and /admin/v1/keys/{id}.
class ApiKeysController
{
public:
    static void registerRoutes(AdminRouteTable &routes, ApiKeyService &keys);
};

} // namespace gw
