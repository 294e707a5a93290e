#pragma once

#include <QString>

namespace gw {

// Entity ids: "<prefix>_" + 8 base62 digits of Unix milliseconds + 4 of a
// sequence within the millisecond + 8 random base62 characters. Sorting ids
// sorts by creation order (within one process), so id order is a stable
// cursor for paging and keeps B-tree inserts at the right edge.
class IdGenerator
{
public:
    static QString make(const char *prefix);
};

} // namespace gw
