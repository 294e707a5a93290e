#include "apikeyscontroller.h"

#include "access/apikeyservice.h"
#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"

namespace gw {

void ApiKeysController::registerRoutes(AdminRouteTable &routes, ApiKeyService &keys)
{
    routes.add("GET", "/users/{id}/keys", AdminPermission::Read, [&keys](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        keys.listByUser(AdminReply::param(ex, "id"), paging->cursor, paging->limit, ex->context(),
                        [ex](Outcome<Page<ApiKeyRecord>> o) {
                            if (!o.ok())
                                return AdminReply::error(ex, o.error());
                            QJsonArray data;
                            for (const ApiKeyRecord &k : std::as_const(o.value().items))
                                data.append(AdminViews::apiKey(k));
                            AdminReply::page(ex, data, o.value().nextCursor);
                        });
    });

    routes.add("POST", "/users/{id}/keys", AdminPermission::Write, [&keys](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ApiKeySpec spec = ApiKeySpec::fromJson(*body, ApiKeySpec::Mode::Create, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        keys.create(AdminReply::param(ex, "id"), spec, actor, ex->context(), [ex](Outcome<ApiKeyService::Issued> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonObject view = AdminViews::apiKey(o.value().record);
            // The only time the key is ever shown.
            view.insert(QStringLiteral("key"), QString::fromLatin1(o.value().plaintext));
            AdminReply::ok(ex, view, 201);
        });
    });

    routes.add("GET", "/keys/{id}", AdminPermission::Read, [&keys](const HttpExchangePtr &ex, const AdminActor &) {
        keys.get(AdminReply::param(ex, "id"), ex->context(), [ex](Outcome<ApiKeyRecord> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::apiKey(o.value()));
        });
    });

    routes.add("PATCH", "/keys/{id}", AdminPermission::Write, [&keys](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ApiKeySpec spec = ApiKeySpec::fromJson(*body, ApiKeySpec::Mode::Patch, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        keys.update(AdminReply::param(ex, "id"), spec, actor, ex->context(), [ex](Outcome<ApiKeyRecord> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::apiKey(o.value()));
        });
    });

    routes.add("DELETE", "/keys/{id}", AdminPermission::Write, [&keys](const HttpExchangePtr &ex, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "id");
        keys.remove(id, actor, ex->context(), [ex, id](Outcome<ApiKeyRecord> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::deleted(ex, id, QStringLiteral("api_key"));
        });
    });
}

} // namespace gw
