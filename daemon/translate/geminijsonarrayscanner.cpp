#include "geminijsonarrayscanner.h"

namespace gw {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

GeminiJsonArrayScanner::GeminiJsonArrayScanner(qsizetype maxElementBytes)
    : m_maxElementBytes(maxElementBytes > 0 ? maxElementBytes : DefaultMaxElementBytes)
{
}

bool GeminiJsonArrayScanner::failWith(const QString &message, QString *error)
{
    m_state = State::Failed;
    m_error = message;
    m_element.clear();
    if (error)
        *error = m_error;
    return false;
}

QList<QByteArray> GeminiJsonArrayScanner::feed(QByteArrayView bytes, QString *error)
{
    QList<QByteArray> out;
    if (m_state == State::Failed) {
        if (error)
            *error = m_error;
        return out;
    }
    const char *p = bytes.data();
    const qsizetype size = bytes.size();
    qsizetype elementStart = m_state == State::InElement ? 0 : -1;
    for (qsizetype i = 0; i < size; ++i) {
        const char c = p[i];
        switch (m_state) {
        case State::BeforeArray:
            if (c == '[') {
                m_state = State::BeforeElement;
                m_afterComma = false;
            } else if (!isSpace(c)) {
                failWith(QStringLiteral("the stream is not a JSON array"), error);
                return out;
            }
            break;
        case State::BeforeElement:
            if (c == '{' || c == '[') {
                m_state = State::InElement;
                m_depth = 1;
                m_inString = m_escape = false;
                elementStart = i;
            } else if (c == ']' && !m_afterComma) {
                m_state = State::Closed;
            } else if (!isSpace(c)) {
                failWith(QStringLiteral("a stream array element is not a JSON object"), error);
                return out;
            }
            break;
        case State::InElement:
            if (m_inString) {
                if (m_escape)
                    m_escape = false;
                else if (c == '\\')
                    m_escape = true;
                else if (c == '"')
                    m_inString = false;
            } else if (c == '"') {
                m_inString = true;
            } else if (c == '{' || c == '[') {
                ++m_depth;
            } else if (c == '}' || c == ']') {
                if (--m_depth == 0) {
                    m_element.append(bytes.sliced(elementStart, i + 1 - elementStart));
                    if (m_element.size() > m_maxElementBytes) {
                        failWith(QStringLiteral("a stream array element is larger than %1 bytes").arg(m_maxElementBytes), error);
                        return out;
                    }
                    out.append(std::exchange(m_element, {}));
                    elementStart = -1;
                    m_state = State::AfterElement;
                }
            }
            break;
        case State::AfterElement:
            if (c == ',') {
                m_state = State::BeforeElement;
                m_afterComma = true;
            } else if (c == ']') {
                m_state = State::Closed;
            } else if (!isSpace(c)) {
                failWith(QStringLiteral("a stream array has no comma between two elements"), error);
                return out;
            }
            break;
        case State::Closed:
            if (!isSpace(c)) {
                failWith(QStringLiteral("the stream has data after its closing bracket"), error);
                return out;
            }
            break;
        case State::Failed:
            return out;
        }
    }
    if (m_state == State::InElement) {
        m_element.append(bytes.sliced(elementStart));
        if (m_element.size() > m_maxElementBytes)
            failWith(QStringLiteral("a stream array element is larger than %1 bytes").arg(m_maxElementBytes), error);
    }
    return out;
}

} // namespace gw
