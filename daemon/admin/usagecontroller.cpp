#include "usagecontroller.h"

#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "common/timeformat.h"
#include "payloadredactor.h"
#include "store/store.h"
#include "store/usagerepository.h"

namespace gw {

void UsageController::registerRoutes(AdminRouteTable &routes, Store &store)
{
    routes.add("GET", "/usage", AdminPermission::Read, [&store](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        UsageRepository::Filter filter;
        filter.userId = AdminReply::query(ex, "user");
        filter.keyId = AdminReply::query(ex, "key");
        filter.model = AdminReply::query(ex, "model");
        const QString status = AdminReply::query(ex, "status");
        if (!status.isEmpty()) {
            bool ok = false;
            filter.status = status.toInt(&ok);
            if (!ok)
                return ex->respondError(ApiError::badRequest(QStringLiteral("status: must be an HTTP status code"), QStringLiteral("status")));
        }
        for (const char *name : {"from", "to"}) {
            const QString value = AdminReply::query(ex, name);
            if (value.isEmpty())
                continue;
            const auto ms = TimeFormat::parse(value);
            if (!ms)
                return ex->respondError(ApiError::badRequest(
                    QStringLiteral("%1: must be an RFC 3339 time such as 2026-11-21T00:00:00Z").arg(QLatin1String(name)),
                    QLatin1String(name)));
            (qstrcmp(name, "from") == 0 ? filter.fromMs : filter.toMs) = *ms;
        }
        const auto p = *paging;
        store.read<Page<UsageRecord>>(ex->context(), [filter, p](SqlSession &s) {
            return UsageRepository::list(s, filter, p.cursor, p.limit);
        }, [ex](Outcome<Page<UsageRecord>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const UsageRecord &r : std::as_const(o.value().items))
                data.append(AdminViews::usage(r));
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });

    routes.add("GET", "/usage/{request_id}", AdminPermission::Read, [&store](const HttpExchangePtr &ex, const AdminActor &actor) {
        const QString id = AdminReply::param(ex, "request_id");
        const bool redact = actor.role != AdminRole::Admin;
        store.read<UsageRecord>(ex->context(), [id](SqlSession &s) {
            auto found = UsageRepository::find(s, id);
            if (!found)
                throw ServiceError::notFound(QStringLiteral("no request %1 in the usage log").arg(id));
            return *found;
        }, [ex, redact](Outcome<UsageRecord> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            UsageRecord r = o.take();
            if (redact) {
                r.requestBody = PayloadRedactor::redact(r.requestBody);
                r.responseBody = PayloadRedactor::redact(r.responseBody);
            }
            QJsonObject view = AdminViews::usage(r);
            QJsonArray attempts;
            for (const AttemptRecord &a : std::as_const(r.attempts))
                attempts.append(AdminViews::attempt(a));
            view.insert(QStringLiteral("attempts"), attempts);
            view.insert(QStringLiteral("payload_stored"), r.storePayload);
            view.insert(QStringLiteral("payload_redacted"), redact && r.storePayload);
            view.insert(QStringLiteral("request_body"), r.storePayload ? QJsonValue(QString::fromUtf8(r.requestBody)) : QJsonValue(QJsonValue::Null));
            view.insert(QStringLiteral("response_body"), r.storePayload ? QJsonValue(QString::fromUtf8(r.responseBody)) : QJsonValue(QJsonValue::Null));
            view.insert(QStringLiteral("request_truncated"), r.requestTruncated);
            view.insert(QStringLiteral("response_truncated"), r.responseTruncated);
            AdminReply::ok(ex, view);
        });
    });
}

} // namespace gw
