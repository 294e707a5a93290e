#pragma once

namespace gw {

class AdminRouteTable;
class CatalogService;

// /admin/v1/channels: list, create, read, change, delete.
class ChannelsController
{
public:
    static void registerRoutes(AdminRouteTable &routes, CatalogService &catalog);
};

} // namespace gw
