#pragma once

#include "adminrole.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gw {

struct AdminTokenRecord
{
    QString id;
    QString name;
    AdminRole role = AdminRole::Viewer;
    QByteArray prefix;
    QByteArray hash;
    QString createdBy;
    qint64 createdAtMs = 0;
    std::optional<qint64> revokedAtMs;
    bool bootstrap = false; // given on the command line or environment; lives in memory only
};

} // namespace gw
