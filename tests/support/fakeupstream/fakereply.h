#pragma once

#include "fakeheaders.h"

#include <QByteArray>
#include <QList>

class QJsonDocument;
class QJsonObject;

namespace gw::test {

// What a handler wants to send, before the behaviour decides how (delays,
// cuts, pacing). Streams are kept as a list of whole SSE events so the
// sender can pace and cut them at event boundaries.
struct FakeReply
{
    int status = 200;
    FakeHeaders headers;
    QByteArray body;          // when !streaming
    bool streaming = false;
    QList<QByteArray> events; // when streaming: each a complete event ("data: ...\n\n"), or a piece of a streamed JSON array

    static FakeReply json(int status, const QJsonObject &object);
    static FakeReply json(int status, const QJsonDocument &document);
    static FakeReply eventStream(QList<QByteArray> events);
    // One "data: <compact json>\n\n" event.
    static QByteArray sseData(const QJsonObject &object);
    static QByteArray sseData(const QByteArray &payload);
    // A named event, "event: <name>\ndata: <compact json>\n\n", as Anthropic sends them.
    static QByteArray sseEvent(QByteArrayView name, const QJsonObject &object);

    // The malformedBody fault: half of the JSON body, or the stream's first
    // event, half of its second and its last (the terminator), so a parser
    // meets the broken event before the end marker. The second event is cut
    // inside its JSON, after any "event:" line and the "data: " prefix.
    void makeMalformed();
};

} // namespace gw::test
