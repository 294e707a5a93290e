#include "modelscontroller.h"

#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "routing/catalogservice.h"

namespace gw {

void ModelsController::registerRoutes(AdminRouteTable &routes, CatalogService &catalog)
{
    routes.add("GET", "/models", AdminPermission::Read, [&catalog](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        QJsonArray data;
        QString next;
        for (const auto &m : catalog.snapshot()->models()) {
            if (m->id <= paging->cursor)
                continue;
            if (data.size() == paging->limit) {
                next = data.last().toObject().value(QStringLiteral("id")).toString();
                break;
            }
            data.append(AdminViews::model(*m));
        }
        AdminReply::page(ex, data, next);
    });

    routes.add("POST", "/models", AdminPermission::Write, [&catalog](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ModelSpec spec = ModelSpec::fromJson(*body, ModelSpec::Mode::Create, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        catalog.createModel(spec, actor, ex->context(), [ex](Outcome<ModelInfo> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::model(o.value()), 201);
        });
    });

    routes.add("GET", "/models/{id}", AdminPermission::Read, [&catalog](const HttpExchangePtr &ex, const AdminActor &) {
        const QString id = AdminReply::param(ex, "id");
        const auto m = catalog.snapshot()->model(id);
        if (!m)
            return AdminReply::error(ex, ServiceError::notFound(QStringLiteral("no model %1").arg(id)));
        AdminReply::ok(ex, AdminViews::model(*m));
    });

    routes.add("PATCH", "/models/{id}", AdminPermission::Write, [&catalog](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        if (body->contains(QStringLiteral("id")) && body->value(QStringLiteral("id")).toString() != AdminReply::param(ex, "id"))
            errors.add(QStringLiteral("id"), QStringLiteral("cannot be changed; create a new model instead"));
        const ModelSpec spec = ModelSpec::fromJson(*body, ModelSpec::Mode::Patch, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        catalog.updateModel(AdminReply::param(ex, "id"), spec, actor, ex->context(), [ex](Outcome<ModelInfo> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::model(o.value()));
        });
    });

    routes.add("DELETE", "/models/{id}", AdminPermission::Write, [&catalog](const HttpExchangePtr &ex, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "id");
        catalog.deleteModel(id, actor, ex->context(), [ex, id](Outcome<bool> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::deleted(ex, id, QStringLiteral("model"));
        });
    });
}

} // namespace gw
