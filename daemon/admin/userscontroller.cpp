#include "userscontroller.h"

#include "access/userservice.h"
#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "billing/creditservice.h"
#include "billing/ledger.h"
#include "credits.h"

namespace gw {

void UsersController::registerRoutes(AdminRouteTable &routes, UserService &users, CreditService &credits, Ledger &ledger)
{
    routes.add("GET", "/users/{id}/holds", AdminPermission::Read, [&ledger](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        ledger.holds(AdminReply::param(ex, "id"), paging->cursor, paging->limit, ex->context(), [ex](Outcome<Page<HoldRecord>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const HoldRecord &h : std::as_const(o.value().items))
                data.append(AdminViews::hold(h));
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });

    routes.add("GET", "/users", AdminPermission::Read, [&users](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        users.list(paging->cursor, paging->limit, AdminReply::query(ex, "email"), ex->context(),
                   [ex](Outcome<Page<UserAccount>> o) {
                       if (!o.ok())
                           return AdminReply::error(ex, o.error());
                       QJsonArray data;
                       for (const UserAccount &a : std::as_const(o.value().items))
                           data.append(AdminViews::user(a.user, a.balance));
                       AdminReply::page(ex, data, o.value().nextCursor);
                   });
    });

    routes.add("POST", "/users", AdminPermission::Write, [&users](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const UserSpec spec = UserSpec::fromJson(*body, UserSpec::Mode::Create, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        users.create(spec, actor, ex->context(), [ex](Outcome<UserAccount> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::user(o.value().user, o.value().balance), 201);
        });
    });

    routes.add("GET", "/users/{id}", AdminPermission::Read, [&users](const HttpExchangePtr &ex, const AdminActor &) {
        users.get(AdminReply::param(ex, "id"), ex->context(), [ex](Outcome<UserAccount> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::user(o.value().user, o.value().balance));
        });
    });

    routes.add("PATCH", "/users/{id}", AdminPermission::Write, [&users](const HttpExchangePtr &ex, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const UserSpec spec = UserSpec::fromJson(*body, UserSpec::Mode::Patch, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        users.update(AdminReply::param(ex, "id"), spec, actor, ex->context(), [ex](Outcome<UserAccount> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::ok(ex, AdminViews::user(o.value().user, o.value().balance));
        });
    });

    routes.add("POST", "/users/{id}/credits", AdminPermission::Write,
               [&credits](const HttpExchangePtr &ex, const AdminActor &actor) {
                   const auto body = AdminReply::jsonBody(ex);
                   if (!body)
                       return;
                   FieldErrors errors;
                   const CreditGrantSpec spec = CreditGrantSpec::fromJson(*body, errors);
                   if (!errors.isEmpty())
                       return AdminReply::fieldErrors(ex, errors);
                   credits.grant(AdminReply::param(ex, "id"), spec, actor, ex->context(),
                                 [ex](Outcome<CreditService::GrantResult> o) {
                                     if (!o.ok())
                                         return AdminReply::error(ex, o.error());
                                     QJsonObject view = AdminViews::posting(o.value().posting);
                                     view.insert(QStringLiteral("replayed"), o.value().replayed);
                                     view.insert(QStringLiteral("balance"), Credits::toJson(o.value().balance.balance));
                                     view.insert(QStringLiteral("held"), Credits::toJson(o.value().balance.held));
                                     view.insert(QStringLiteral("available"), Credits::toJson(o.value().balance.available()));
                                     AdminReply::ok(ex, view, o.value().replayed ? 200 : 201);
                                 });
               });

    routes.add("GET", "/users/{id}/ledger", AdminPermission::Read, [&credits](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        credits.ledger(AdminReply::param(ex, "id"), paging->cursor, paging->limit, ex->context(),
                       [ex](Outcome<Page<LedgerPosting>> o) {
                           if (!o.ok())
                               return AdminReply::error(ex, o.error());
                           QJsonArray data;
                           for (const LedgerPosting &p : std::as_const(o.value().items))
                               data.append(AdminViews::posting(p));
                           AdminReply::page(ex, data, o.value().nextCursor);
                       });
    });
}

} // namespace gw
