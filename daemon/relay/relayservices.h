#pragma once

namespace gw {

class CatalogStore;
class ChannelHealthRegistry;
class UsageRecorder;

// What a relay session needs from the daemon, in one place so that the
// family handlers pass one reference around.
struct RelayServices
{
    CatalogStore &catalog;
    ChannelHealthRegistry &health;
    UsageRecorder &usage;
};

} // namespace gw
