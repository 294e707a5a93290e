#pragma once

#include <QString>

#include <optional>

namespace gw {

// What an admin token may do: admin everything; support reads everything and
// retries tasks, with payloads redacted; viewer reads statistics only.
enum class AdminRole { Admin, Support, Viewer };

QString adminRoleName(AdminRole role);
std::optional<AdminRole> adminRoleFromName(const QString &name);

} // namespace gw
