#include "sqliteprocesssettings.h"

#include <sqlite3.h>

namespace gw {

bool SqliteProcessSettings::apply()
{
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

} // namespace gw
