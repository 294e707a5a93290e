#include "sseeventparser.h"

#include <cstring>

namespace gw {

SseEventParser::SseEventParser(qsizetype maxEventBytes)
    : m_maxEventBytes(maxEventBytes > 0 ? maxEventBytes : DefaultMaxEventBytes)
{
}

void SseEventParser::reset()
{
    m_buffer.clear();
    m_eventStart = m_lineStart = m_scan = 0;
    m_skipLf = false;
    m_streamStart = true;
    m_event = Event();
    m_lastEventId.clear();
    m_error.clear();
}

QList<SseEventParser::Event> SseEventParser::failed(QList<Event> events, QString *error) const
{
    if (error)
        *error = m_error;
    return events;
}

QList<SseEventParser::Event> SseEventParser::feed(QByteArrayView bytes, QString *error)
{
    QList<Event> out;
    if (hasError())
        return failed(std::move(out), error);
    m_buffer.append(bytes);
    const char *p = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype i = m_scan;
    if (m_skipLf && i < size) {
        m_skipLf = false;
        if (p[i] == '\n')
            m_lineStart = ++i;
    }
    while (i < size) {
        // memchr is vectorised; a CR alone ending a line is rare, so it is
        // only looked for before the next LF.
        const char *lf = static_cast<const char *>(memchr(p + i, '\n', size_t(size - i)));
        const char *searchEnd = lf ? lf : p + size;
        const char *cr = static_cast<const char *>(memchr(p + i, '\r', size_t(searchEnd - (p + i))));
        const char *stop = cr ? cr : lf;
        if (!stop) {
            i = size;
            break;
        }
        i = stop - p;
        const char c = *stop;
        const qsizetype lineEnd = i;
        ++i;
        if (c == '\r') {
            if (i < size) {
                if (p[i] == '\n')
                    ++i;
            } else {
                m_skipLf = true;
            }
        }
        if (i - m_eventStart > m_maxEventBytes) {
            m_error = QStringLiteral("an event is larger than %1 bytes").arg(m_maxEventBytes);
            return failed(std::move(out), error);
        }
        qsizetype lineBegin = m_lineStart;
        if (m_streamStart) {
            m_streamStart = false;
            if (QByteArrayView(p + lineBegin, lineEnd - lineBegin).startsWith("\xEF\xBB\xBF"))
                lineBegin += 3;
        }
        if (lineEnd == lineBegin)
            dispatch(i, &out);
        else
            processLine(lineBegin, lineEnd);
        m_lineStart = i;
    }
    m_scan = i;
    if (size - m_eventStart > m_maxEventBytes) {
        m_error = QStringLiteral("an event is larger than %1 bytes").arg(m_maxEventBytes);
        return failed(std::move(out), error);
    }
    compact();
    return out;
}

QList<SseEventParser::Event> SseEventParser::finish(QString *error)
{
    QList<Event> out;
    if (hasError())
        return failed(std::move(out), error);
    if (m_lineStart < m_buffer.size()) {
        qsizetype lineBegin = m_lineStart;
        if (m_streamStart && QByteArrayView(m_buffer).sliced(lineBegin).startsWith("\xEF\xBB\xBF"))
            lineBegin += 3;
        m_streamStart = false;
        if (lineBegin < m_buffer.size())
            processLine(lineBegin, m_buffer.size());
        m_lineStart = m_scan = m_buffer.size();
    }
    if (m_event.hasData)
        dispatch(m_buffer.size(), &out);
    compact();
    return out;
}

void SseEventParser::compact()
{
    // One move per feed, not one per event: chunks that carry many small
    // events stay linear.
    if (m_eventStart > 0) {
        m_buffer.remove(0, m_eventStart);
        m_lineStart -= m_eventStart;
        m_scan -= m_eventStart;
        m_eventStart = 0;
    }
}

void SseEventParser::processLine(qsizetype begin, qsizetype end)
{
    const QByteArrayView line = QByteArrayView(m_buffer).sliced(begin, end - begin);
    if (line.isEmpty() || line.front() == ':')
        return;
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView field = colon < 0 ? line : line.first(colon);
    qsizetype valueAt = colon < 0 ? line.size() : colon + 1;
    if (valueAt < line.size() && line[valueAt] == ' ')
        ++valueAt;
    const QByteArrayView value = line.sliced(valueAt);

    if (field == "data") {
        if (m_event.dataLines == 0)
            m_event.dataOffset = begin + valueAt - m_eventStart;
        else
            m_event.data += '\n';
        m_event.data += value;
        ++m_event.dataLines;
        m_event.hasData = true;
    } else if (field == "event") {
        m_event.event = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0')) {
            m_event.id = value.toByteArray();
            m_event.hasId = true;
            m_lastEventId = m_event.id;
        }
    } else if (field == "retry") {
        qint64 ms = 0;
        bool ok = !value.isEmpty() && value.size() <= 18;
        for (const char c : value) {
            if (c < '0' || c > '9') {
                ok = false;
                break;
            }
            ms = ms * 10 + (c - '0');
        }
        if (ok)
            m_event.retry = ms;
    }
}

void SseEventParser::dispatch(qsizetype end, QList<Event> *events)
{
    m_event.raw = QByteArrayView(m_buffer).sliced(m_eventStart, end - m_eventStart).toByteArray();
    events->append(std::move(m_event));
    m_event = Event();
    m_eventStart = end;
}

} // namespace gw
