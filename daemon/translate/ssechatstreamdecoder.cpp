#include "ssechatstreamdecoder.h"

namespace gw {

void SseChatStreamDecoder::run(const QList<SseEventParser::Event> &events, const QString &parseError, QList<ir::StreamEvent> *out)
{
    for (const SseEventParser::Event &event : events)
        handle(event, out);
    if (!parseError.isEmpty())
        fail(parseError);
}

QList<ir::StreamEvent> SseChatStreamDecoder::feed(QByteArrayView bytes, QString *error)
{
    QList<ir::StreamEvent> out;
    if (m_error.isEmpty()) {
        QString parseError;
        const QList<SseEventParser::Event> events = m_parser.feed(bytes, &parseError);
        run(events, parseError, &out);
    }
    if (error && !m_error.isEmpty())
        *error = m_error;
    return out;
}

QList<ir::StreamEvent> SseChatStreamDecoder::finish(bool *complete, QString *error)
{
    QList<ir::StreamEvent> out;
    if (m_error.isEmpty()) {
        QString parseError;
        m_finishing = true;
        const QList<SseEventParser::Event> events = m_parser.finish(&parseError);
        run(events, parseError, &out);
    }
    if (complete)
        *complete = m_ended;
    if (error && !m_error.isEmpty())
        *error = m_error;
    return out;
}

void SseChatStreamDecoder::fail(const QString &why)
{
    if (m_error.isEmpty())
        m_error = why;
    m_done = true;
}

} // namespace gw
