#pragma once

#include "adminrole.h"

#include <QByteArray>
#include <QString>

namespace gw {

// Who is making a change (an admin token, or an account owner through a
// manage-scoped key): recorded with every change in the audit log.
struct AdminActor
{
    QString tokenId;
    AdminRole role = AdminRole::Viewer;
    QByteArray requestId;
    QString roleLabel; // "owner" when an account owner acts through a manage-scoped key

    QString roleName() const { return roleLabel.isEmpty() ? adminRoleName(role) : roleLabel; }
};

} // namespace gw
