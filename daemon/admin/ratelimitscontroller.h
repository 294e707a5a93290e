#pragma once

namespace gw {

class AdminRouteTable;
class RateLimitService;

// /admin/v1/rate-limits: list (?scope=), create, read, delete.
class RateLimitsController
{
public:
    static void registerRoutes(AdminRouteTable &routes, RateLimitService &service);
};

} // namespace gw
