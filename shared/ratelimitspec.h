#pragma once

#include "fielderrors.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace gw {

// The body of POST /admin/v1/rate-limits: {"scope", "target"?, "rpm"?, "tpm"?}.
// A global rule has no target; every other scope names the id (or provider
// name) it limits. 0 or absent means "no limit" for that measure, so at least
// one of rpm and tpm must be positive or the rule would limit nothing.
struct RateLimitSpec
{
    std::optional<QString> scope;
    std::optional<QString> target;
    std::optional<qint64> rpm;
    std::optional<qint64> tpm;

    static constexpr qint64 kMaxRpm = 100'000'000;
    static constexpr qint64 kMaxTpm = 100'000'000'000LL;

    static RateLimitSpec fromJson(const QJsonObject &body, FieldErrors &errors);
    QJsonObject toJson() const;

    static const QStringList &knownScopes();
};

} // namespace gw
