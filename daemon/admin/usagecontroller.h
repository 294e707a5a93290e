#pragma once

namespace gw {

class AdminRouteTable;
class Store;

// /admin/v1/usage: the request log support staff search (by user, key,
// model, status, time range), and one request with its attempts and bodies.
class UsageController
{
public:
    static void registerRoutes(AdminRouteTable &routes, Store &store);
};

} // namespace gw
