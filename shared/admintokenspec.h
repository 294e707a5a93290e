#pragma once

#include "adminrole.h"
#include "fielderrors.h"

#include <QJsonObject>

namespace gw {

// The body of POST /admin/v1/admin-tokens.
struct AdminTokenSpec
{
    AdminRole role = AdminRole::Viewer;
    QString name;

    static AdminTokenSpec fromJson(const QJsonObject &body, FieldErrors &errors);
    QJsonObject toJson() const;
};

} // namespace gw
