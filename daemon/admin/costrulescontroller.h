#pragma once

namespace gw {

class AdminRouteTable;
class CostRuleService;

// /admin/v1/cost-rules: list (?channel=), create, read, change, delete.
class CostRulesController
{
public:
    static void registerRoutes(AdminRouteTable &routes, CostRuleService &service);
};

} // namespace gw
