#pragma once

#include <QString>

namespace gw {

struct UserRecord
{
    QString id;
    QString email;
    QString name;
    QString status = QStringLiteral("active"); // active | disabled
    QString plan;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

} // namespace gw
