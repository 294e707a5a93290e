#include "auditlog.h"

#include "common/timeformat.h"
#include "sqlsession.h"
#include "sqlvalues.h"

#include <limits>

namespace gw {

void AuditLog::record(SqlSession &s, const AdminActor &actor, const QString &action, const QString &resource,
                      const QString &resourceId, const std::optional<QJsonObject> &before,
                      const std::optional<QJsonObject> &after)
{
    s.run(QStringLiteral("INSERT INTO audit_log (actor_token_id, actor_role, action, resource, resource_id, request_id, "
                          "before_json, after_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           {SqlValues::nullableText(actor.tokenId), actor.roleName(), action, resource,
            SqlValues::nullableText(resourceId), SqlValues::nullableText(QString::fromLatin1(actor.requestId)),
            before ? QVariant(SqlValues::jsonObject(*before)) : QVariant(QMetaType(QMetaType::QString)),
            after ? QVariant(SqlValues::jsonObject(*after)) : QVariant(QMetaType(QMetaType::QString)),
            TimeFormat::nowMs()});
}

Page<AuditEntry> AuditLog::list(SqlSession &s, const QString &resource, const QString &resourceId,
                                const QString &cursor, int limit)
{
    bool ok = false;
    qint64 before = cursor.toLongLong(&ok);
    if (!ok || before <= 0)
        before = std::numeric_limits<qint64>::max();
    QList<AuditEntry> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT id, actor_token_id, actor_role, action, resource, resource_id, request_id, "
                                         "before_json, after_json, created_at FROM audit_log WHERE id < ? "
                                         "AND (? = '' OR resource = ?) AND (? = '' OR resource_id = ?) "
                                         "ORDER BY id DESC LIMIT ?"),
                          {before, resource, resource, resourceId, resourceId, limit + 1});
    while (q.next()) {
        AuditEntry e;
        e.id = q.value(0).toLongLong();
        e.actorTokenId = q.value(1).toString();
        e.actorRole = q.value(2).toString();
        e.action = q.value(3).toString();
        e.resource = q.value(4).toString();
        e.resourceId = q.value(5).toString();
        e.requestId = q.value(6).toString();
        if (!q.value(7).isNull())
            e.before = SqlValues::toObject(q.value(7));
        if (!q.value(8).isNull())
            e.after = SqlValues::toObject(q.value(8));
        e.createdAtMs = q.value(9).toLongLong();
        rows.append(e);
    }
    return makePage(std::move(rows), limit, [](const AuditEntry &e) { return QString::number(e.id); });
}

} // namespace gw
