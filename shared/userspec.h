#pragma once

#include "fielderrors.h"

#include <QJsonObject>

#include <optional>

namespace gw {

// The body of POST /admin/v1/users and PATCH /admin/v1/users/{id}.
struct UserSpec
{
    enum class Mode { Create, Patch };

    std::optional<QString> email;
    std::optional<QString> name;
    std::optional<QString> status;        // active | disabled
    std::optional<qint64> initialCredits; // micro-credits granted at creation
    std::optional<QString> plan;

    static UserSpec fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors);
    QJsonObject toJson() const;
};

} // namespace gw
