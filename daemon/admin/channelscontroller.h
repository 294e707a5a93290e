#pragma once

namespace gw {

class AdminRouteTable;
class CatalogService;
class ChannelHealthRegistry;

// /admin/v1/channels: list, create, read, change, delete. Each channel is
// shown with the state of its circuit breaker ("health").
class ChannelsController
{
public:
    static void registerRoutes(AdminRouteTable &routes, CatalogService &catalog, const ChannelHealthRegistry &health);
};

} // namespace gw
