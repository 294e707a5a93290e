#pragma once

#include "ledgerevent.h"

#include <vector>

namespace gw {

class SqlSession;

// The SQL of the local ledger's decisions. The database follows the memory
// authority: it never refuses a decision, it records it, with balance rows
// and balance_after computed here, in the writer's order, so that postings
// stay a consistent running sum next to grants the writer commits between
// them. Applying an event twice changes nothing (the hold row's insert or
// close, or the subscription month, decides), which makes journal replay safe.
class LedgerEventBook
{
public:
    // Applies the events in order inside the caller's transaction; a hold
    // opened and closed in the same batch becomes one row.
    static void apply(SqlSession &s, const std::vector<LedgerEvent> &events);
};

} // namespace gw
