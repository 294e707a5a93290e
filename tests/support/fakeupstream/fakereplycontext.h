#pragma once

#include <QStringList>

namespace gw::test {

// Server-wide facts a handler may put into a reply.
struct FakeReplyContext
{
    int sequence = 0;       // N of "fake-req-N", 1-based, per server since reset
    QStringList seenModels; // models named by earlier requests to this provider, first-seen order
};

} // namespace gw::test
