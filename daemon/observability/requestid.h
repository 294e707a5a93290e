#pragma once

#include <QByteArray>

namespace gw {

// Request ids: "req_" + 12 hex digits of Unix milliseconds + 16 random hex
// digits. Sorting them sorts by time, which keeps the usage table's index on
// them append-mostly; they are not secrets.
class RequestId
{
public:
    static QByteArray next();
    static bool looksValid(QByteArrayView id);
};

} // namespace gw
