#pragma once

#include "chatir.h"

namespace gw {

// Usage as a stream reports it in pieces: every piece is a cumulative total
// of the counts it has (chatir.h), so a later count replaces an earlier one
// and a count a piece lacks (0) keeps the earlier value. Stream encoders that
// write usage once at the end gather it with this.
class StreamUsage
{
public:
    static void merge(ir::Usage *into, const ir::Usage &later);
};

} // namespace gw
