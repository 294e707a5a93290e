#include "sseevent.h"

#include <QStringBuilder>

namespace gw {

QByteArray SseEvent::format(QByteArrayView data, QByteArrayView event)
{
    QByteArray out;
    appendTo(out, data, event);
    return out;
}

void SseEvent::appendTo(QByteArray &out, QByteArrayView data, QByteArrayView event)
{
    if (out.isEmpty())
        out.reserve(data.size() + event.size() + 16); // appends to a longer one grow it geometrically
    if (!event.isEmpty()) {
        out += "event: ";
        out += event;
        out += '\n';
    }
    qsizetype start = 0;
    while (true) {
        qsizetype end = data.indexOf('\n', start);
        const QByteArrayView line = data.sliced(start, (end < 0 ? data.size() : end) - start);
        out += "data: ";
        out += line.endsWith('\r') ? line.chopped(1) : line;
        out += '\n';
        if (end < 0)
            break;
        start = end + 1;
    }
    out += '\n';
}

QByteArray SseEvent::comment(QByteArrayView text)
{
    return QByteArray(": ") + text.toByteArray() + QByteArray("\n\n");
}

} // namespace gw
