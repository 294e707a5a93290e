#pragma once

#include <QString>

namespace gw {

// What the request path needs of a user, kept in memory.
struct UserState
{
    QString id;
    QString status = QStringLiteral("active");
    QString planId;
};

} // namespace gw
