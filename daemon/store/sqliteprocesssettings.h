#pragma once

namespace gw {

// SQLite settings that hold for the whole process and can only be made
// before the first connection opens (sqlite3_config()).
class SqliteProcessSettings
{
public:
    // Turns off SQLite's memory statistics: with them on, every allocation
    // SQLite makes takes a process-wide mutex (about 5% of the store
    // writer's time under load), and the daemon never reads them. Returns
    // false when SQLite was already initialised; the default then stays.
    static bool apply();
};

} // namespace gw
