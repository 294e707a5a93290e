#include "planscontroller.h"

#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "billing/planservice.h"

#include <algorithm>

namespace gw {

void PlansController::registerRoutes(AdminRouteTable &routes, PlanService &plans, const PlanBook &book)
{
    routes.add("GET", "/plans", AdminPermission::Read, [&book](const HttpExchangePtr &ex, const AdminActor &) {
        auto all = book.all();
        std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a->id < b->id; });
        QJsonArray data;
        for (const auto &p : all)
            data.append(AdminViews::plan(*p));
        AdminReply::page(ex, data, QString());
    });
    routes.add("GET", "/plans/{id}", AdminPermission::Read, [&book](const HttpExchangePtr &ex, const AdminActor &) {
        const auto p = book.find(AdminReply::param(ex, "id"));
        if (!p)
            return AdminReply::error(ex, ServiceError::notFound(QStringLiteral("no plan %1").arg(AdminReply::param(ex, "id"))));
        AdminReply::ok(ex, AdminViews::plan(*p));
    });
    routes.add("POST", "/plans", AdminPermission::Write, [&plans](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const PlanSpec spec = PlanSpec::fromJson(*body, PlanSpec::Mode::Create, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        plans.create(spec, actor, ex->context(), [ex](Outcome<PlanRecord> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::plan(o.value()), 201);
        });
    });
    routes.add("PATCH", "/plans/{id}", AdminPermission::Write, [&plans](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const PlanSpec spec = PlanSpec::fromJson(*body, PlanSpec::Mode::Patch, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        plans.update(AdminReply::param(ex, "id"), spec, actor, ex->context(), [ex](Outcome<PlanRecord> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::plan(o.value()));
        });
    });
    routes.add("DELETE", "/plans/{id}", AdminPermission::Write, [&plans](const HttpExchangePtr &ex, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "id");
        plans.remove(id, actor, ex->context(), [ex, id](Outcome<bool> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::deleted(ex, id, QStringLiteral("plan"));
        });
    });
}

} // namespace gw
