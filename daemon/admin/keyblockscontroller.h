#pragma once

namespace gw {

class AdminRouteTable;
class KeyBlockService;

// /admin/v1/blocks: list (?key_id=), create, read, delete.
class KeyBlocksController
{
public:
    static void registerRoutes(AdminRouteTable &routes, KeyBlockService &service);
};

} // namespace gw
