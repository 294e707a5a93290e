#pragma once

#include "adminrole.h"

namespace gw {

// What an admin route needs. admin: everything; support: reading, task
// retries and statistics; viewer: statistics only.
enum class AdminPermission { Read, Write, Stats, RetryTasks };

bool adminRoleAllows(AdminRole role, AdminPermission permission);

} // namespace gw
