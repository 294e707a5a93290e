#include "admintokenscontroller.h"

#include "access/admintokenservice.h"
#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"

namespace gw {

void AdminTokensController::registerRoutes(AdminRouteTable &routes, AdminTokenService &tokens)
{
    // Listing tokens tells who can change the gateway: admins only.
    routes.add("GET", "/admin-tokens", AdminPermission::Write, [&tokens](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        tokens.list(paging->cursor, paging->limit, ex->context(), [ex](Outcome<Page<AdminTokenRecord>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const AdminTokenRecord &t : std::as_const(o.value().items))
                data.append(AdminViews::adminToken(t));
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });

    routes.add("POST", "/admin-tokens", AdminPermission::Write, [&tokens](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const AdminTokenSpec spec = AdminTokenSpec::fromJson(*body, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        tokens.create(spec, actor, ex->context(), [ex](Outcome<AdminTokenService::Issued> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonObject view = AdminViews::adminToken(o.value().record);
            view.insert(QStringLiteral("token"), QString::fromLatin1(o.value().plaintext));
            AdminReply::ok(ex, view, 201);
        });
    });

    routes.add("DELETE", "/admin-tokens/{id}", AdminPermission::Write,
               [&tokens](const HttpExchangePtr &ex, const AdminActor &actor) {
                   const QString id = AdminReply::param(ex, "id");
                   tokens.revoke(id, actor, ex->context(), [ex, id](Outcome<AdminTokenRecord> o) {
                       if (!o.ok())
                           return AdminReply::error(ex, o.error());
                       AdminReply::deleted(ex, id, QStringLiteral("admin_token"));
                   });
               });
}

} // namespace gw
