#pragma once

#include <QString>

namespace gw {

// One line of the ledger. Postings are never updated or deleted; the sum of
// a user's postings is the user's balance. A charge has a negative amount.
struct LedgerPosting
{
    qint64 id = 0;
    QString userId;
    QString projectId;
    QString keyId;
    QString requestId;
    QString taskId;
    QString type;           // grant | charge | refund | adjustment
    qint64 amount = 0;      // micro-credits
    qint64 balanceAfter = 0;
    QString paidBy = QStringLiteral("prepaid"); // which billing mode paid: prepaid | subscription | project
    QString reason;
    QString idempotencyKey;
    QString createdBy;      // admin token id, or empty for the relay
    qint64 createdAtMs = 0;
};

// What a user has: the sum of postings, the open holds, and what is left.
struct AccountBalance
{
    qint64 balance = 0;
    qint64 held = 0;
    qint64 available() const { return balance - held; }
};

} // namespace gw
