#pragma once

namespace gw {

class GatewayCore;
class HttpRouter;

// /healthz (the process answers), /readyz (it can serve: database reachable,
// not draining) and /metrics (Prometheus text). No key needed.
class OperationsController
{
public:
    static void registerRoutes(HttpRouter &router, GatewayCore &core);
};

} // namespace gw
