#pragma once

namespace gw {

class AccessGate;
class CatalogStore;
class ChannelHealthRegistry;
class CostRuleBook;
class Ledger;
class RelayMetrics;
class UsageRecorder;

// What a relay session needs from the daemon, in one place so that the
// family handlers pass one reference around.
struct RelayServices
{
    CatalogStore &catalog;
    ChannelHealthRegistry &health;
    UsageRecorder &usage;
    Ledger &ledger;
    AccessGate &gate;
    const CostRuleBook &costRules;
    RelayMetrics &metrics;
};

} // namespace gw
