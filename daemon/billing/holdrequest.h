#pragma once

#include <QString>

#include <optional>

namespace gw {

// What a call asks the ledger to set aside, with what the ledger must know
// to decide: the user's subscription allowance and the project's budget
// (both from memory, at the time the call starts).
struct HoldRequest
{
    QString userId;
    QString projectId;
    QString keyId;
    QString requestId;
    QString taskId;
    QString model;
    qint64 amount = 0;
    qint64 monthlyAllowance = 0;            // the plan's, when it is a subscription
    std::optional<qint64> projectBudget;    // the project's monthly budget, if any
    bool teamProject = false;               // spending on a team project's key draws on the owner
};

// How a held call ended.
struct SettleRequest
{
    qint64 charge = 0;
    QString reason;
    qint64 monthlyAllowance = 0;
};

struct SettleResult
{
    qint64 charged = 0;
    qint64 overage = 0;      // charged beyond the hold
    bool alreadyClosed = false;
};

} // namespace gw
