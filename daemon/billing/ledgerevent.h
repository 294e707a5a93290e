#pragma once

#include "holdrecord.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gw {

// One decision of the local ledger, as the journal keeps it and as the
// database applies it. Each kind is applied at most once however often it is
// replayed: a hold row is inserted once, closed once, a subscription month
// starts once.
struct LedgerEvent
{
    enum class Kind : char {
        HoldOpened = 'O',
        HoldCharged = 'C',
        HoldReleased = 'R',
        SubscriptionRolled = 'S',
    };

    Kind kind = Kind::HoldOpened;
    QString holdId;
    QString userId;
    QString projectId;
    QString keyId;
    QString requestId;
    QString taskId;
    QString model;
    QString owner;
    QString paidBy;         // prepaid | subscription | team
    qint64 holdAmount = 0;
    qint64 openedAtMs = 0;
    qint64 atMs = 0;        // when the hold closed or the month rolled
    qint64 fromAllowance = 0;   // a charge's part paid by the subscription allowance
    qint64 fromBalance = 0;     // and by the prepaid (or team owner's) balance
    QString reason;
    QString month;              // a roll: the month that starts
    QString previousMonth;      // and the one that ends
    qint64 expired = 0;         // a roll: the old allowance left, which expires
    qint64 granted = 0;         // and the new month's allowance

    // Which journal segment holds it (not journaled itself).
    quint64 segment = 0;

    qint64 charge() const { return fromAllowance + fromBalance; }

    // An event about `hold`, carrying all of it, so that every line of a
    // hold's life can be applied on its own.
    static LedgerEvent ofHold(Kind kind, const HoldRecord &hold);

    // One journal line, '\n' included; fields tab-separated and escaped.
    QByteArray encode() const;
    // A line without its '\n'; nullopt for a damaged line.
    static std::optional<LedgerEvent> decode(const QByteArray &line);
};

} // namespace gw
