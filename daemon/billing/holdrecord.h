#pragma once

#include <QString>

#include <optional>

namespace gw {

// Money set aside for a call in flight: it reduces what the user has
// available until the call settles (charged) or gives up (released).
struct HoldRecord
{
    QString id;
    QString userId;
    QString projectId;
    QString keyId;
    QString requestId;
    QString taskId;
    QString model;
    QString owner;      // the daemon instance that opened it
    QString paidBy;     // prepaid | subscription | team
    qint64 amount = 0;
    qint64 openedAtMs = 0;
    std::optional<qint64> closedAtMs;
    QString outcome;    // charged | released
    std::optional<qint64> charged;
};

} // namespace gw
