#pragma once

namespace gw {

class AdminRouteTable;
class PlanService;
template <typename Record>
class RecordDirectory;
struct PlanRecord;

// /admin/v1/plans: which models an account may use and how it pays.
class PlansController
{
public:
    static void registerRoutes(AdminRouteTable &routes, PlanService &plans, const RecordDirectory<PlanRecord> &book);
};

} // namespace gw
