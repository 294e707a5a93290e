#include "upstreamresponsehead.h"

namespace gw {

namespace {

QByteArrayView trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (text.at(begin) == ' ' || text.at(begin) == '\t'))
        ++begin;
    while (end > begin && (text.at(end - 1) == ' ' || text.at(end - 1) == '\t' || text.at(end - 1) == '\r'
                           || text.at(end - 1) == '\n'))
        --end;
    return text.sliced(begin, end - begin);
}

// "HTTP/1.1 200 OK", "HTTP/2 200": the three digits after the first space.
int parseStatus(QByteArrayView line)
{
    const qsizetype space = line.indexOf(' ');
    if (space < 0 || line.size() < space + 4)
        return 0;
    int status = 0;
    for (qsizetype i = space + 1; i < space + 4; ++i) {
        const char c = line.at(i);
        if (c < '0' || c > '9')
            return 0;
        status = status * 10 + (c - '0');
    }
    return status;
}

} // namespace

bool UpstreamResponseHead::addLine(QByteArrayView line)
{
    if (m_complete)
        return false;
    m_started = true;
    const QByteArrayView content = trimmed(line);
    if (content.isEmpty()) {
        if (m_status == 0)
            return false;
        // 101 ends the HTTP exchange as such; every other 1xx announces more.
        if (m_status >= 100 && m_status < 200 && m_status != 101) {
            m_status = 0;
            m_headers.clear();
            return false;
        }
        m_complete = true;
        return true;
    }
    if (content.startsWith("HTTP/")) {
        m_status = parseStatus(content);
        m_headers.clear();
        return false;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && !m_headers.isEmpty()) {
        // Obsolete line folding: the value goes on.
        QByteArray &value = m_headers.last().second;
        value += ' ';
        value += content.toByteArray();
        return false;
    }
    const qsizetype colon = content.indexOf(':');
    if (colon <= 0)
        return false;
    if (m_headers.isEmpty())
        m_headers.reserve(16); // one allocation for a usual response head
    m_headers.append({trimmed(content.first(colon)).toByteArray().toLower(),
                      trimmed(content.sliced(colon + 1)).toByteArray()});
    return false;
}

} // namespace gw
