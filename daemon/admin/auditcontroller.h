#pragma once

namespace gw {

class AdminRouteTable;
class Store;

// /admin/v1/audit: every admin change, newest first, filterable by resource.
class AuditController
{
public:
    static void registerRoutes(AdminRouteTable &routes, Store &store);
};

} // namespace gw
