#pragma once

#include "store/databaseurl.h"

#include <QString>

namespace gw {

class MasterKey;

// What must be true of the database before the daemon serves: reachable,
// migrated to this build's schema, and keyed with this master key.
class DatabaseBootstrap
{
public:
    enum class Result { Ready, Unreachable, MigrationFailed, WrongMasterKey };

    static Result prepare(const DatabaseUrl &url, const MasterKey &key, QString *message);
};

} // namespace gw
