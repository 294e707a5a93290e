#pragma once

#include <memory>

namespace gw {

class GatewayCore;
class HttpRouter;

// Every route the daemon serves, registered in one place: operations, the
// admin API (one controller per resource) and, as they land, the public API
// families.
class RouteTable
{
public:
    static std::shared_ptr<HttpRouter> build(GatewayCore &core);
};

} // namespace gw
