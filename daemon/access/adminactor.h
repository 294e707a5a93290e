#pragma once

#include "adminrole.h"

#include <QByteArray>
#include <QString>

namespace gw {

// Who is making an admin call: recorded with every change in the audit log.
struct AdminActor
{
    QString tokenId;
    AdminRole role = AdminRole::Viewer;
    QByteArray requestId;
};

} // namespace gw
