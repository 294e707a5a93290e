#include "projectscontroller.h"

#include "access/projectservice.h"
#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "credits.h"

namespace gw {

namespace {

QJsonObject view(const ProjectAccount &a)
{
    QJsonObject o = AdminViews::project(a.project);
    o.insert(QStringLiteral("spent_this_month"), Credits::toJson(a.spentThisMonth));
    o.insert(QStringLiteral("held_this_month"), Credits::toJson(a.heldThisMonth));
    return o;
}

} // namespace

void ProjectsController::registerRoutes(AdminRouteTable &routes, ProjectService &projects)
{
    routes.add("GET", "/users/{id}/projects", AdminPermission::Read, [&projects](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        projects.listByUser(AdminReply::param(ex, "id"), paging->cursor, paging->limit, ex->context(),
                            [ex](Outcome<Page<ProjectAccount>> o) {
                                if (!o.ok())
                                    return AdminReply::error(ex, o.error());
                                QJsonArray data;
                                for (const ProjectAccount &a : std::as_const(o.value().items))
                                    data.append(view(a));
                                AdminReply::page(ex, data, o.value().nextCursor);
                            });
    });
    routes.add("POST", "/users/{id}/projects", AdminPermission::Write, [&projects](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ProjectSpec spec = ProjectSpec::fromJson(*body, ProjectSpec::Mode::Create, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        projects.create(AdminReply::param(ex, "id"), spec, actor, ex->context(), [ex](Outcome<ProjectAccount> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, view(o.value()), 201);
        });
    });
    routes.add("GET", "/projects/{id}", AdminPermission::Read, [&projects](const HttpExchangePtr &ex, const AdminActor &) {
        projects.get(AdminReply::param(ex, "id"), QString(), ex->context(), [ex](Outcome<ProjectAccount> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, view(o.value()));
        });
    });
    routes.add("PATCH", "/projects/{id}", AdminPermission::Write, [&projects](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ProjectSpec spec = ProjectSpec::fromJson(*body, ProjectSpec::Mode::Patch, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        projects.update(AdminReply::param(ex, "id"), spec, QString(), actor, ex->context(), [ex](Outcome<ProjectAccount> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, view(o.value()));
        });
    });
}

} // namespace gw
