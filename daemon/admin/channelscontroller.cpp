#include "channelscontroller.h"

#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "common/timeformat.h"
#include "routing/catalogservice.h"
#include "routing/channelhealthregistry.h"

namespace gw {

namespace {

QJsonObject withHealth(const ChannelInfo &c, const ChannelHealthRegistry &health)
{
    QJsonObject view = AdminViews::channel(c);
    const auto breaker = health.peek(c.id);
    view.insert(QStringLiteral("health"), breaker ? breaker->toJson(TimeFormat::nowMs()) : ChannelHealth().toJson(TimeFormat::nowMs()));
    return view;
}

} // namespace

void ChannelsController::registerRoutes(AdminRouteTable &routes, CatalogService &catalog, const ChannelHealthRegistry &health)
{
    routes.add("GET", "/channels", AdminPermission::Read, [&catalog, &health](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        QJsonArray data;
        QString next;
        for (const auto &c : catalog.snapshot()->channels()) {
            if (c->id <= paging->cursor)
                continue;
            if (data.size() == paging->limit) {
                next = data.last().toObject().value(QStringLiteral("id")).toString();
                break;
            }
            data.append(withHealth(*c, health));
        }
        AdminReply::page(ex, data, next);
    });

    routes.add("POST", "/channels", AdminPermission::Write, [&catalog](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ChannelSpec spec = ChannelSpec::fromJson(*body, ChannelSpec::Mode::Create, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        catalog.createChannel(spec, actor, ex->context(), [ex](Outcome<ChannelInfo> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::channel(o.value()), 201);
        });
    });

    routes.add("GET", "/channels/{id}", AdminPermission::Read, [&catalog, &health](const HttpExchangePtr &ex, const AdminActor &) {
        const QString id = AdminReply::param(ex, "id");
        const auto c = catalog.snapshot()->channel(id);
        if (!c)
            return AdminReply::error(ex, ServiceError::notFound(QStringLiteral("no channel %1").arg(id)));
        AdminReply::ok(ex, withHealth(*c, health));
    });

    routes.add("PATCH", "/channels/{id}", AdminPermission::Write, [&catalog](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ChannelSpec spec = ChannelSpec::fromJson(*body, ChannelSpec::Mode::Patch, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        catalog.updateChannel(AdminReply::param(ex, "id"), spec, actor, ex->context(), [ex](Outcome<ChannelInfo> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::channel(o.value()));
        });
    });

    routes.add("DELETE", "/channels/{id}", AdminPermission::Write, [&catalog](const HttpExchangePtr &ex, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "id");
        catalog.deleteChannel(id, actor, ex->context(), [ex, id](Outcome<bool> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::deleted(ex, id, QStringLiteral("channel"));
        });
    });
}

} // namespace gw
