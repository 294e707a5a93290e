#include "admintokenspec.h"

#include "jsonreader.h"

namespace gw {

AdminTokenSpec AdminTokenSpec::fromJson(const QJsonObject &body, FieldErrors &errors)
{
    JsonReader r(body, errors);
    AdminTokenSpec s;
    const auto role = r.choice(QStringLiteral("role"),
                               {QStringLiteral("admin"), QStringLiteral("support"), QStringLiteral("viewer")},
                               JsonReader::Required);
    if (role)
        s.role = *adminRoleFromName(*role);
    s.name = r.string(QStringLiteral("name"), JsonReader::Optional, 200).value_or(QString());
    return s;
}

QJsonObject AdminTokenSpec::toJson() const
{
    QJsonObject o{{QStringLiteral("role"), adminRoleName(role)}};
    if (!name.isEmpty())
        o.insert(QStringLiteral("name"), name);
    return o;
}

} // namespace gw
