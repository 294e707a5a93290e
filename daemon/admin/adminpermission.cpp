#include "adminpermission.h"

namespace gw {

bool adminRoleAllows(AdminRole role, AdminPermission permission)
{
    switch (role) {
    case AdminRole::Admin:
        return true;
    case AdminRole::Support:
        return permission != AdminPermission::Write;
    case AdminRole::Viewer:
        return permission == AdminPermission::Stats;
    }
    return false;
}

} // namespace gw
