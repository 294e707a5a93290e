#include "adminroutetable.h"

#include "access/admintokenregistry.h"
#include "http/httpexchange.h"

namespace gw {

namespace {
// Admin bodies are small JSON documents; nothing there needs megabytes.
constexpr qint64 kAdminBodyLimit = 1024 * 1024;
}

AdminRouteTable::AdminRouteTable(HttpRouter &router, const AdminTokenRegistry &tokens, unsigned scope)
    : m_router(router)
    , m_tokens(tokens)
    , m_scope(scope)
{
}

void AdminRouteTable::add(const QByteArray &method, const QByteArray &path, AdminPermission permission, Handler handler)
{
    const AdminTokenRegistry *tokens = &m_tokens;
    m_router.add(method, QByteArrayLiteral("/admin/v1") + path, ApiFamily::Admin, m_scope,
                 [tokens, permission, handler = std::move(handler)](const HttpExchangePtr &exchange) {
                     const QByteArray authorization = exchange->request().header("authorization");
                     ApiError error;
                     if (!authorization.startsWith("Bearer ") || authorization.size() <= 7) {
                         error.status = 401;
                         error.message = QStringLiteral("an admin token is required: Authorization: Bearer TOKEN");
                         error.code = QStringLiteral("missing_admin_token");
                         exchange->respondError(error);
                         return;
                     }
                     const auto token = tokens->lookup(QByteArrayView(authorization).sliced(7).trimmed());
                     if (!token) {
                         error.status = 401;
                         error.message = QStringLiteral("invalid admin token");
                         error.code = QStringLiteral("invalid_admin_token");
                         exchange->respondError(error);
                         return;
                     }
                     if (!adminRoleAllows(token->role, permission)) {
                         error.status = 403;
                         error.message = QStringLiteral("the %1 role may not do this").arg(adminRoleName(token->role));
                         error.code = QStringLiteral("forbidden_for_role");
                         exchange->respondError(error);
                         return;
                     }
                     exchange->addLogField("admin_token", token->id.toUtf8());
                     handler(exchange, AdminActor{token->id, token->role, exchange->requestId(), {}});
                 },
                 kAdminBodyLimit);
}

} // namespace gw
