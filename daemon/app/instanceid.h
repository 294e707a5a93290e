#pragma once

#include <QString>

namespace gw {

// This daemon's lasting name (DATA/daemon-id): the owner written on the
// holds it opens, so that after a crash it releases its own open holds and
// none of another daemon sharing the database.
class InstanceId
{
public:
    static QString loadOrCreate(const QString &dataDir, QString *error);
};

} // namespace gw
