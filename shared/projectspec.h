#pragma once

#include "fielderrors.h"

#include <QJsonObject>

#include <optional>

namespace gw {

// The body of POST /admin/v1/users/{id}/projects and PATCH /admin/v1/projects/{id}
// (and of the owner's own /v1/account/projects). A project groups keys (a
// team's); its spending draws on the owner's balance, within an optional
// monthly budget (UTC calendar month).
struct ProjectSpec
{
    enum class Mode { Create, Patch };

    std::optional<QString> name;
    std::optional<qint64> monthlyBudget;  // micro-credits
    bool clearBudget = false;             // PATCH with "monthly_budget": null
    std::optional<QString> status;        // active | disabled

    static ProjectSpec fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors);
    QJsonObject toJson() const;
};

} // namespace gw
