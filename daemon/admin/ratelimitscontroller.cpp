#include "ratelimitscontroller.h"

#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "limits/ratelimitservice.h"

namespace gw {

void RateLimitsController::registerRoutes(AdminRouteTable &routes, RateLimitService &service)
{
    routes.add("GET", "/rate-limits", AdminPermission::Read, [&service](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        const QString scope = AdminReply::query(ex, "scope");
        if (!scope.isEmpty() && !RateLimitSpec::knownScopes().contains(scope))
            return AdminReply::error(ex, ServiceError::invalid(QStringLiteral("scope"), QStringLiteral("must be one of: %1")
                                                                                         .arg(RateLimitSpec::knownScopes().join(QStringLiteral(", ")))));
        service.list(scope, paging->cursor, paging->limit, ex->context(), [ex](Outcome<Page<RateLimitRule>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const RateLimitRule &r : std::as_const(o.value().items))
                data.append(AdminViews::rateLimit(r));
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });

    routes.add("POST", "/rate-limits", AdminPermission::Write, [&service](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const RateLimitSpec spec = RateLimitSpec::fromJson(*body, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        service.create(spec, actor, ex->context(), [ex](Outcome<RateLimitRule> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::rateLimit(o.value()), 201);
        });
    });

    routes.add("GET", "/rate-limits/{id}", AdminPermission::Read, [&service](const HttpExchangePtr &ex, const AdminActor &) {
        service.get(AdminReply::param(ex, "id"), ex->context(), [ex](Outcome<RateLimitRule> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::rateLimit(o.value()));
        });
    });

    routes.add("DELETE", "/rate-limits/{id}", AdminPermission::Write, [&service](const HttpExchangePtr &ex, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "id");
        service.remove(id, actor, ex->context(), [ex, id](Outcome<RateLimitRule> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::deleted(ex, id, QStringLiteral("rate_limit"));
        });
    });
}

} // namespace gw
