#pragma once

namespace gw {

class AdminRouteTable;
class CatalogService;

// /admin/v1/models: list, create, read, change, delete.
class ModelsController
{
public:
    static void registerRoutes(AdminRouteTable &routes, CatalogService &catalog);
};

} // namespace gw
