#pragma once

#include <QString>

#include <optional>

namespace gw {

// What a rate limit is counted against. The names are the admin API's.
enum class LimitScope { Key, User, Project, Channel, Provider, Global };

QString limitScopeName(LimitScope scope);
std::optional<LimitScope> limitScopeFromName(QStringView name);

} // namespace gw
