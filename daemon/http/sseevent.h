#pragma once

#include <QByteArray>

namespace gw {

// Server-sent event framing: "event: NAME\ndata: LINE\n...\n\n". Multi-line
// data becomes several data: lines, as the format requires.
class SseEvent
{
public:
    static QByteArray format(QByteArrayView data, QByteArrayView event = {});
    // The same framing, appended to `out`.
    static void appendTo(QByteArray &out, QByteArrayView data, QByteArrayView event = {});
    static QByteArray comment(QByteArrayView text);
};

} // namespace gw
