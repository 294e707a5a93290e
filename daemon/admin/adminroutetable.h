#pragma once

#include "access/adminactor.h"
#include "adminpermission.h"
#include "http/httprouter.h"

#include <functional>

namespace gw {

class AdminTokenRegistry;

// Registers /admin/v1 routes: every handler runs only after the bearer token
// has been found and its role allows the route's permission.
class AdminRouteTable
{
public:
    using Handler = std::function<void(const HttpExchangePtr &, const AdminActor &)>;

    AdminRouteTable(HttpRouter &router, const AdminTokenRegistry &tokens, unsigned scope);

    // `path` is below /admin/v1, e.g. "/channels/{id}".
    void add(const QByteArray &method, const QByteArray &path, AdminPermission permission, Handler handler);

private:
    HttpRouter &m_router;
    const AdminTokenRegistry &m_tokens;
    unsigned m_scope;
};

} // namespace gw
