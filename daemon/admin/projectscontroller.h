#pragma once

namespace gw {

class AdminRouteTable;
class ProjectService;

// /admin/v1/users/{id}/projects and /admin/v1/projects/{id}: team projects
// and their monthly budgets.
class ProjectsController
{
public:
    static void registerRoutes(AdminRouteTable &routes, ProjectService &projects);
};

} // namespace gw
