#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace gw {

// An incremental text/event-stream parser (the WHATWG "server-sent events"
// rules): lines end with LF, CRLF or CR; a line starting with ':' is a
// comment; "field: value" loses one space after the colon; a blank line ends
// the event. Chunks may split anything (a CRLF, a UTF-8 sequence, a field
// name): the parser only ever acts on complete lines.
//
// Every block a blank line ends is returned, including those with no data
// (comments, keep-alives), so that a relay can forward `raw` for all of them:
// the raws of the returned events followed by pending() are exactly the bytes
// fed. (A CR ends a line as soon as it is seen; when the LF of that CRLF
// arrives in the next chunk it starts the next raw.)
//
// Memory is bounded: an event (its raw bytes, complete or not) longer than
// maxEventBytes is an error, after which the parser refuses input until reset.
// Events are independent of the parser once returned.
class SseEventParser
{
public:
    static constexpr qsizetype DefaultMaxEventBytes = 4 * 1024 * 1024;

    struct Event
    {
        QByteArray event;      // the "event" field (the type); empty means "message"
        QByteArray data;       // data lines joined with LF
        QByteArray id;         // this event's "id" field, when hasId
        bool hasId = false;
        std::optional<qint64> retry;
        bool hasData = false;  // false: nothing a browser would dispatch
        int dataLines = 0;
        qsizetype dataOffset = -1;  // where the first data line's value starts in raw
        QByteArray raw;        // the event's bytes as received, blank line included

        bool isDone() const { return hasData && data == "[DONE]"; }
    };

    explicit SseEventParser(qsizetype maxEventBytes = DefaultMaxEventBytes);

    // The events `bytes` completes. On error, `error` says why and the
    // events completed before the fault are still returned.
    QList<Event> feed(QByteArrayView bytes, QString *error = nullptr);
    // At the end of the stream: a last event that was never ended by a
    // blank line. The specification drops it; upstreams that close right
    // after "data: [DONE]" without one are common enough that it is kept
    // here when it has data (a line cut short by the end counts).
    QList<Event> finish(QString *error = nullptr);

    QByteArrayView pending() const { return QByteArrayView(m_buffer).sliced(m_eventStart); }
    QByteArray lastEventId() const { return m_lastEventId; }
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    qsizetype maxEventBytes() const { return m_maxEventBytes; }
    void reset();

private:
    void processLine(qsizetype begin, qsizetype end);
    void dispatch(qsizetype end, QList<Event> *events);
    void compact();
    QList<Event> failed(QList<Event> events, QString *error) const;

    qsizetype m_maxEventBytes;
    QByteArray m_buffer;          // from the current event's start on
    qsizetype m_eventStart = 0;
    qsizetype m_lineStart = 0;
    qsizetype m_scan = 0;         // where the search for the line end resumes
    bool m_skipLf = false;        // the last line ended with a CR at a chunk end
    bool m_streamStart = true;    // a byte-order mark may still come first
    Event m_event;
    QByteArray m_lastEventId;
    QString m_error;
};

} // namespace gw
