#include "costrulescontroller.h"

#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "billing/costruleservice.h"

namespace gw {

void CostRulesController::registerRoutes(AdminRouteTable &routes, CostRuleService &service)
{
    routes.add("GET", "/cost-rules", AdminPermission::Read, [&service](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        service.list(AdminReply::query(ex, "channel"), paging->cursor, paging->limit, ex->context(),
                     [ex](Outcome<Page<CostRule>> o) {
                         if (!o.ok())
                             return AdminReply::error(ex, o.error());
                         QJsonArray data;
                         for (const CostRule &r : std::as_const(o.value().items))
                             data.append(AdminViews::costRule(r));
                         AdminReply::page(ex, data, o.value().nextCursor);
                     });
    });

    routes.add("POST", "/cost-rules", AdminPermission::Write, [&service](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const CostRuleSpec spec = CostRuleSpec::fromJson(*body, CostRuleSpec::Mode::Create, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        service.create(spec, actor, ex->context(), [ex](Outcome<CostRule> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::costRule(o.value()), 201);
        });
    });

    routes.add("GET", "/cost-rules/{id}", AdminPermission::Read, [&service](const HttpExchangePtr &ex, const AdminActor &) {
        service.get(AdminReply::param(ex, "id"), ex->context(), [ex](Outcome<CostRule> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::costRule(o.value()));
        });
    });

    routes.add("PATCH", "/cost-rules/{id}", AdminPermission::Write, [&service](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const CostRuleSpec spec = CostRuleSpec::fromJson(*body, CostRuleSpec::Mode::Patch, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        service.update(AdminReply::param(ex, "id"), spec, actor, ex->context(), [ex](Outcome<CostRule> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::costRule(o.value()));
        });
    });

    routes.add("DELETE", "/cost-rules/{id}", AdminPermission::Write, [&service](const HttpExchangePtr &ex, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "id");
        service.remove(id, actor, ex->context(), [ex, id](Outcome<CostRule> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::deleted(ex, id, QStringLiteral("cost_rule"));
        });
    });
}

} // namespace gw
