#pragma once

#include "limitscope.h"

#include <QString>

#include <optional>

namespace gw {

// A rate limit configured through the admin API (table rate_limits). At
// most one rule exists per (scope, target).
struct RateLimitRule
{
    QString id;
    LimitScope scope = LimitScope::Global;
    QString target;  // empty for the global scope
    std::optional<qint64> rpm;
    std::optional<qint64> tpm;
    QString createdBy;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

} // namespace gw
