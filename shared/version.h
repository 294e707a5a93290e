#pragma once

#include <QString>

namespace gw {

// The product version, as CMake's project() names it.
QString productVersion();

// What the admin API and the public routes report as their surface version;
// bumped with every entry in docs/api-changelog.md.
QString apiVersion();

} // namespace gw
