#pragma once

#include <QString>
#include <QStringList>

namespace gw {

// What an account on this plan may call and how it pays.
struct PlanRecord
{
    QString id;
    QString name;
    QStringList models;                    // empty: every model
    QString billingMode = QStringLiteral("prepaid"); // prepaid | subscription
    qint64 monthlyAllowance = 0;           // micro-credits, subscription plans
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;

    qint64 allowance() const { return billingMode == QLatin1String("subscription") ? monthlyAllowance : 0; }
};

} // namespace gw
