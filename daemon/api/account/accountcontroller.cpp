#include "accountcontroller.h"

#include "access/accountservice.h"
#include "admin/adminreply.h"
#include "admin/adminviews.h"
#include "app/gatewaycore.h"
#include "common/timeformat.h"
#include "credits.h"
#include "http/httpexchange.h"
#include "http/httprouter.h"
#include "store/usagerepository.h"

namespace gw {

namespace {

using Handler = std::function<void(const HttpExchangePtr &, const ApiKeyRecord &, const AdminActor &)>;

// Authenticates the key and requires its manage scope; answers the error itself.
void asOwner(const HttpExchangePtr &ex, GatewayCore &core, const Handler &handler)
{
    const auto auth = core.authenticator().authenticate(ex->request(), TimeFormat::nowMs());
    if (auth.error) {
        ex->respondError(*auth.error);
        return;
    }
    if (!auth.key->scopes.contains(QStringLiteral("manage"))) {
        ApiError e;
        e.status = 403;
        e.message = QStringLiteral("This API key has no manage scope; account routes need one.");
        e.code = QStringLiteral("scope_required");
        ex->respondError(e);
        return;
    }
    const auto user = core.users().find(auth.key->userId);
    if (user && user->status != QLatin1String("active")) {
        ApiError e;
        e.status = 403;
        e.message = QStringLiteral("This account is disabled.");
        e.code = QStringLiteral("account_disabled");
        ex->respondError(e);
        return;
    }
    AdminActor actor{QStringLiteral("key:") + auth.key->id, AdminRole::Viewer, ex->requestId(), QStringLiteral("owner")};
    handler(ex, *auth.key, actor);
}

void add(HttpRouter &router, const QByteArray &method, const QByteArray &path, GatewayCore &core, Handler handler)
{
    for (const QByteArray &prefix : {QByteArray("/v1"), QByteArray("/openai/v1"), QByteArray("/api/v1")}) {
        router.add(method, prefix + path, ApiFamily::OpenAI, PublicScope,
                   [&core, handler](const HttpExchangePtr &ex) { asOwner(ex, core, handler); }, 1024 * 1024);
    }
}

} // namespace

void AccountController::registerRoutes(HttpRouter &router, GatewayCore &core)
{
    add(router, "GET", "/account", core, [&core](const HttpExchangePtr &ex, const ApiKeyRecord &key, const AdminActor &) {
        const auto plan = core.users().find(key.userId) ? core.plans().find(core.users().find(key.userId)->planId) : nullptr;
        core.accountService().summary(key.userId, ex->context(), [ex, plan, key](Outcome<AccountSummary> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            const AccountSummary &a = o.value();
            QJsonObject view = AdminViews::user(a.user, a.balance);
            view.insert(QStringLiteral("object"), QStringLiteral("account"));
            view.insert(QStringLiteral("plan"), plan ? QJsonValue(AdminViews::plan(*plan)) : QJsonValue(QJsonValue::Null));
            view.insert(QStringLiteral("billing_mode"), plan ? plan->billingMode : QStringLiteral("prepaid"));
            const bool current = a.subscriptionMonth == TimeFormat::rfc3339(TimeFormat::nowMs()).left(7);
            view.insert(QStringLiteral("subscription_allowance_left"),
                        Credits::toJson(plan && plan->allowance() > 0 ? (current ? a.subscriptionRemaining : plan->allowance()) : 0));
            view.insert(QStringLiteral("key"), AdminViews::apiKey(key));
            AdminReply::ok(ex, view);
        });
    });

    add(router, "GET", "/account/usage", core, [&core](const HttpExchangePtr &ex, const ApiKeyRecord &key, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        UsageRepository::Filter filter;
        filter.userId = key.userId; // never anyone else's
        filter.keyId = AdminReply::query(ex, "key");
        filter.model = AdminReply::query(ex, "model");
        for (const char *name : {"from", "to"}) {
            const QString value = AdminReply::query(ex, name);
            if (value.isEmpty())
                continue;
            const auto ms = TimeFormat::parse(value);
            if (!ms)
                return ex->respondError(ApiError::badRequest(QStringLiteral("%1: must be an RFC 3339 time").arg(QLatin1String(name)),
                                                             QLatin1String(name)));
            (qstrcmp(name, "from") == 0 ? filter.fromMs : filter.toMs) = *ms;
        }
        const auto p = *paging;
        core.store().read<Page<UsageRecord>>(ex->context(), [filter, p](SqlSession &s) {
            return UsageRepository::list(s, filter, p.cursor, p.limit);
        }, [ex](Outcome<Page<UsageRecord>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const UsageRecord &r : std::as_const(o.value().items)) {
                QJsonObject row = AdminViews::usage(r);
                row.remove(QStringLiteral("upstream_cost")); // the operator's business, not the owner's
                row.remove(QStringLiteral("channel"));
                row.remove(QStringLiteral("upstream_model"));
                data.append(row);
            }
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });

    add(router, "GET", "/account/ledger", core, [&core](const HttpExchangePtr &ex, const ApiKeyRecord &key, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        core.creditService().ledger(key.userId, paging->cursor, paging->limit, ex->context(), [ex](Outcome<Page<LedgerPosting>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const LedgerPosting &p : std::as_const(o.value().items))
                data.append(AdminViews::posting(p));
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });

    add(router, "GET", "/account/keys", core, [&core](const HttpExchangePtr &ex, const ApiKeyRecord &key, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        core.apiKeyService().listByUser(key.userId, paging->cursor, paging->limit, ex->context(), [ex](Outcome<Page<ApiKeyRecord>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const ApiKeyRecord &k : std::as_const(o.value().items))
                data.append(AdminViews::apiKey(k));
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });

    add(router, "POST", "/account/keys", core, [&core](const HttpExchangePtr &ex, const ApiKeyRecord &key, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ApiKeySpec spec = ApiKeySpec::fromJson(*body, ApiKeySpec::Mode::Create, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        core.apiKeyService().create(key.userId, spec, actor, ex->context(), [ex](Outcome<ApiKeyService::Issued> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonObject view = AdminViews::apiKey(o.value().record);
            view.insert(QStringLiteral("key"), QString::fromLatin1(o.value().plaintext));
            AdminReply::ok(ex, view, 201);
        });
    });

    add(router, "DELETE", "/account/keys/{id}", core, [&core](const HttpExchangePtr &ex, const ApiKeyRecord &key, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "id");
        core.apiKeyService().remove(id, actor, ex->context(), [ex, id](Outcome<ApiKeyRecord> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            AdminReply::deleted(ex, id, QStringLiteral("api_key"));
        }, key.userId);
    });

    add(router, "GET", "/account/projects", core, [&core](const HttpExchangePtr &ex, const ApiKeyRecord &key, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        core.projectService().listByUser(key.userId, paging->cursor, paging->limit, ex->context(), [ex](Outcome<Page<ProjectAccount>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const ProjectAccount &a : std::as_const(o.value().items)) {
                QJsonObject view = AdminViews::project(a.project);
                view.insert(QStringLiteral("spent_this_month"), Credits::toJson(a.spentThisMonth));
                view.insert(QStringLiteral("held_this_month"), Credits::toJson(a.heldThisMonth));
                data.append(view);
            }
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });

    add(router, "PATCH", "/account/projects/{id}", core, [&core](const HttpExchangePtr &ex, const ApiKeyRecord &key, const AdminActor &actor) {
        const auto body = AdminReply::jsonBody(ex);
        if (!body)
            return;
        FieldErrors errors;
        const ProjectSpec spec = ProjectSpec::fromJson(*body, ProjectSpec::Mode::Patch, errors);
        if (!errors.isEmpty())
            return AdminReply::fieldErrors(ex, errors);
        core.projectService().update(AdminReply::param(ex, "id"), spec, key.userId, actor, ex->context(), [ex](Outcome<ProjectAccount> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonObject view = AdminViews::project(o.value().project);
            view.insert(QStringLiteral("spent_this_month"), Credits::toJson(o.value().spentThisMonth));
            view.insert(QStringLiteral("held_this_month"), Credits::toJson(o.value().heldThisMonth));
            AdminReply::ok(ex, view);
        });
    });
}

} // namespace gw
