#include "projectspec.h"

#include "credits.h"
#include "jsonreader.h"

namespace gw {

ProjectSpec ProjectSpec::fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors)
{
    JsonReader r(body, errors);
    ProjectSpec s;
    s.name = r.string(QStringLiteral("name"), mode == Mode::Create ? JsonReader::Required : JsonReader::Optional, 200);
    if (mode == Mode::Patch && r.isNull(QStringLiteral("monthly_budget")))
        s.clearBudget = true;
    s.monthlyBudget = r.credits(QStringLiteral("monthly_budget"), JsonReader::Optional);
    s.status = r.choice(QStringLiteral("status"), {QStringLiteral("active"), QStringLiteral("disabled")}, JsonReader::Optional);
    return s;
}

QJsonObject ProjectSpec::toJson() const
{
    QJsonObject o;
    if (name)
        o.insert(QStringLiteral("name"), *name);
    if (monthlyBudget)
        o.insert(QStringLiteral("monthly_budget"), Credits::toJson(*monthlyBudget));
    else if (clearBudget)
        o.insert(QStringLiteral("monthly_budget"), QJsonValue::Null);
    if (status)
        o.insert(QStringLiteral("status"), *status);
    return o;
}

} // namespace gw
