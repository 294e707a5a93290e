#pragma once

#include <QString>

namespace gw {

// Entity ids: "<prefix>_" + 8 base62 digits of Unix milliseconds + 12 random
// base62 characters. Sorting ids sorts by creation time, so id order is a
// stable cursor for paging and keeps B-tree inserts at the right edge.
class IdGenerator
{
public:
    static QString make(const char *prefix);
};

} // namespace gw
