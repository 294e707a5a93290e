#include "keyblockscontroller.h"

#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "limits/keyblockservice.h"

namespace gw {

void KeyBlocksController::registerRoutes(AdminRouteTable &routes, KeyBlockService &service)
{
    routes.add("GET", "/blocks", AdminPermission::Read, [&service](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        service.list(AdminReply::query(ex, "key_id"), paging->cursor, paging->limit, ex->context(),
                     [ex](Outcome<Page<KeyBlock>> o) {
                         if (!o.ok())
                             return AdminReply::error(ex, o.error());
                         QJsonArray data;
                         for (const KeyBlock &b : std::as_const(o.value().items))
                             data.append(AdminViews::keyBlock(b));
                         AdminReply::page(ex, data, o.value().nextCursor);
                     });
    });

    routes.add("POST", "/blocks", AdminPermission::Write, [&service](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const KeyBlockSpec spec = KeyBlockSpec::fromJson(*body, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        service.create(spec, actor, ex->context(), [ex](Outcome<KeyBlock> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::keyBlock(o.value()), 201);
        });
    });

    routes.add("GET", "/blocks/{id}", AdminPermission::Read, [&service](const HttpExchangePtr &ex, const AdminActor &) {
        service.get(AdminReply::param(ex, "id"), ex->context(), [ex](Outcome<KeyBlock> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::keyBlock(o.value()));
        });
    });

    routes.add("DELETE", "/blocks/{id}", AdminPermission::Write, [&service](const HttpExchangePtr &ex, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "id");
        service.remove(id, actor, ex->context(), [ex, id](Outcome<KeyBlock> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::deleted(ex, id, QStringLiteral("key_block"));
        });
    });
}

} // namespace gw
