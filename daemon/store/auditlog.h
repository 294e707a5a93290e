#pragma once

#include "access/adminactor.h"
#include "page.h"

#include <QJsonObject>

#include <optional>

namespace gw {

class SqlSession;

struct AuditEntry
{
    qint64 id = 0;
    QString actorTokenId;
    QString actorRole;
    QString action;     // create | update | delete | grant | revoke ...
    QString resource;   // channel | model | user | key | admin_token | credits
    QString resourceId;
    QString requestId;
    std::optional<QJsonObject> before;
    std::optional<QJsonObject> after;
    qint64 createdAtMs = 0;
};

// Every admin change, written in the same transaction as the change itself.
// Callers pass the public view of a resource, never one with a secret in it.
class AuditLog
{
public:
    static void record(SqlSession &s, const AdminActor &actor, const QString &action, const QString &resource,
                       const QString &resourceId, const std::optional<QJsonObject> &before,
                       const std::optional<QJsonObject> &after);
    // Newest first.
    static Page<AuditEntry> list(SqlSession &s, const QString &resource, const QString &resourceId,
                                 const QString &cursor, int limit);
};

} // namespace gw
