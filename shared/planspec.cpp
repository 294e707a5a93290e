#include "planspec.h"

#include "credits.h"
#include "jsonreader.h"

#include <QJsonArray>

namespace gw {

PlanSpec PlanSpec::fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors)
{
    JsonReader r(body, errors);
    PlanSpec s;
    s.name = r.string(QStringLiteral("name"), mode == Mode::Create ? JsonReader::Required : JsonReader::Optional, 100);
    s.models = r.stringList(QStringLiteral("models"), JsonReader::Optional, 1000);
    s.billingMode = r.choice(QStringLiteral("billing_mode"), {QStringLiteral("prepaid"), QStringLiteral("subscription")},
                             JsonReader::Optional);
    s.monthlyAllowance = r.credits(QStringLiteral("monthly_allowance"), JsonReader::Optional);
    if (s.billingMode == QLatin1String("subscription") && mode == Mode::Create && !s.monthlyAllowance)
        r.fail(QStringLiteral("monthly_allowance"), QStringLiteral("is required for a subscription plan"));
    return s;
}

QJsonObject PlanSpec::toJson() const
{
    QJsonObject o;
    if (name)
        o.insert(QStringLiteral("name"), *name);
    if (models)
        o.insert(QStringLiteral("models"), QJsonArray::fromStringList(*models));
    if (billingMode)
        o.insert(QStringLiteral("billing_mode"), *billingMode);
    if (monthlyAllowance)
        o.insert(QStringLiteral("monthly_allowance"), Credits::toJson(*monthlyAllowance));
    return o;
}

} // namespace gw
