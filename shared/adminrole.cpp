#include "adminrole.h"

namespace gw {

QString adminRoleName(AdminRole role)
{
    switch (role) {
    case AdminRole::Admin:
        return QStringLiteral("admin");
    case AdminRole::Support:
        return QStringLiteral("support");
    case AdminRole::Viewer:
        return QStringLiteral("viewer");
    }
    return QStringLiteral("viewer");
}

std::optional<AdminRole> adminRoleFromName(const QString &name)
{
    if (name == QLatin1String("admin"))
        return AdminRole::Admin;
    if (name == QLatin1String("support"))
        return AdminRole::Support;
    if (name == QLatin1String("viewer"))
        return AdminRole::Viewer;
    return std::nullopt;
}

} // namespace gw
