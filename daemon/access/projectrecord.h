#pragma once

#include <QString>

#include <optional>

namespace gw {

struct ProjectRecord
{
    QString id;
    QString userId;       // the owner, whose balance the project draws on
    QString name;
    std::optional<qint64> monthlyBudget;
    QString status = QStringLiteral("active");
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

} // namespace gw
