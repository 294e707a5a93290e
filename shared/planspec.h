#pragma once

#include "fielderrors.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace gw {

// The body of POST /admin/v1/plans and PATCH /admin/v1/plans/{id}: what a
// user on the plan may call (model ids or patterns with *) and how the
// account pays: prepaid credits, or a monthly subscription allowance used
// before the prepaid balance.
struct PlanSpec
{
    enum class Mode { Create, Patch };

    std::optional<QString> name;
    std::optional<QStringList> models;
    std::optional<QString> billingMode;       // prepaid | subscription
    std::optional<qint64> monthlyAllowance;   // micro-credits

    static PlanSpec fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors);
    QJsonObject toJson() const;
};

} // namespace gw
