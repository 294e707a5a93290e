#include "auditcontroller.h"

#include "adminreply.h"
#include "adminroutetable.h"
#include "adminviews.h"
#include "store/auditlog.h"
#include "store/store.h"

namespace gw {

void AuditController::registerRoutes(AdminRouteTable &routes, Store &store)
{
    routes.add("GET", "/audit", AdminPermission::Read, [&store](const HttpExchangePtr &ex, const AdminActor &) {
        const auto paging = AdminReply::paging(ex);
        if (!paging)
            return;
        const QString resource = AdminReply::query(ex, "resource");
        const QString resourceId = AdminReply::query(ex, "resource_id");
        const auto p = *paging;
        store.read<Page<AuditEntry>>(ex->context(), [resource, resourceId, p](SqlSession &s) {
            return AuditLog::list(s, resource, resourceId, p.cursor, p.limit);
        }, [ex](Outcome<Page<AuditEntry>> o) {
            if (!o.ok())
                return AdminReply::error(ex, o.error());
            QJsonArray data;
            for (const AuditEntry &e : std::as_const(o.value().items))
                data.append(AdminViews::auditEntry(e));
            AdminReply::page(ex, data, o.value().nextCursor);
        });
    });
}

} // namespace gw
