#include "httprequestparser.h"

#include <cstring>

namespace gw {

namespace {

constexpr qsizetype kMaxChunkLine = 1024;

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (char c : v) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

QByteArrayView trimOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

// Whether a comma-separated header value holds `token`, case-insensitively.
bool listContains(QByteArrayView value, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype end = value.indexOf(',', start);
        if (end < 0)
            end = value.size();
        if (trimOws(value.sliced(start, end - start)).compare(token, Qt::CaseInsensitive) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Finds the end of a line starting at `from`: the index just past '\n', or -1.
qsizetype lineEnd(const char *data, qsizetype size, qsizetype from)
{
    if (from >= size)
        return -1;
    const void *nl = std::memchr(data + from, '\n', size_t(size - from));
    return nl ? static_cast<const char *>(nl) - data + 1 : -1;
}

} // namespace

HttpRequestParser::HttpRequestParser(const HttpLimits &limits)
    : m_limits(limits)
    , m_bodyLimit(limits.maxBodyBytes)
{
}

void HttpRequestParser::reset()
{
    m_state = State::Head;
    m_request = HttpRequest();
    m_scanFrom = 0;
    m_bodyLimit = m_limits.maxBodyBytes;
    m_contentLength = 0;
    m_bodyRead = 0;
    m_chunkRemaining = 0;
    m_trailerBytes = 0;
    m_chunked = false;
    m_expectContinue = false;
    m_keepAlive = true;
    m_started = false;
    m_errorStatus = 0;
    m_errorMessage.clear();
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest out = std::move(m_request);
    m_request = HttpRequest();
    return out;
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const QString &message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = message;
    return Status::Error;
}

HttpRequestParser::Status HttpRequestParser::feed(const char *data, qsizetype size, qsizetype *consumed)
{
    *consumed = 0;
    switch (m_state) {
    case State::Failed:
        return Status::Error;
    case State::Done:
        return Status::Complete;
    case State::Head:
        return parseHead(data, size, consumed);
    default:
        return parseBody(data, size, consumed);
    }
}

HttpRequestParser::Status HttpRequestParser::parseHead(const char *data, qsizetype size, qsizetype *consumed)
{
    // Empty lines before a request line are allowed (RFC 9112 2.2); they are
    // what some clients leave after a body.
    qsizetype skip = 0;
    if (!m_started) {
        while (skip < size && (data[skip] == '\r' || data[skip] == '\n'))
            ++skip;
        *consumed = skip;
        if (skip == size)
            return Status::NeedMore;
        // A method is a token; anything else (a TLS hello sent to the plain
        // port, say) is refused now rather than after the header timeout.
        if (!isTokenChar(data[skip])) {
            m_started = true;
            return fail(400, QStringLiteral("this is not an HTTP/1.x request (TLS sent to a plain HTTP port?)"));
        }
        m_started = true;
        m_scanFrom = 0;
    }
    data += skip;
    size -= skip;

    // Find the empty line that ends the head: "\n\n" or "\n\r\n".
    qsizetype headEnd = -1;
    qsizetype pos = m_scanFrom;
    while (true) {
        const qsizetype nl = lineEnd(data, size, pos);
        if (nl < 0) {
            pos = size; // no newline up to here: the next search starts at the new bytes
            break;
        }
        if (nl < size && data[nl] == '\n') {
            headEnd = nl + 1;
            break;
        }
        if (nl + 1 < size && data[nl] == '\r' && data[nl + 1] == '\n') {
            headEnd = nl + 2;
            break;
        }
        if (nl >= size - 1) {
            pos = nl - 1; // the terminator may straddle this read; look again here
            break;
        }
        pos = nl;
    }
    if (headEnd < 0) {
        m_scanFrom = qMax<qsizetype>(0, qMin(pos, size));
        if (size > m_limits.maxHeaderBytes)
            return fail(431, QStringLiteral("request headers exceed %1 bytes").arg(m_limits.maxHeaderBytes));
        return Status::NeedMore;
    }
    if (headEnd > m_limits.maxHeaderBytes)
        return fail(431, QStringLiteral("request headers exceed %1 bytes").arg(m_limits.maxHeaderBytes));

    // Split into lines; the last line is the empty terminator.
    qsizetype lineStart = 0;
    bool first = true;
    while (lineStart < headEnd) {
        const qsizetype nl = lineEnd(data, headEnd, lineStart);
        QByteArrayView line(data + lineStart, nl - lineStart - 1);
        if (line.endsWith('\r'))
            line.chop(1);
        lineStart = nl;
        if (line.contains('\r'))
            return fail(400, QStringLiteral("bare CR in request head"));
        if (first) {
            if (!parseRequestLine(line))
                return Status::Error;
            first = false;
            continue;
        }
        if (line.isEmpty())
            break;
        if (!parseHeaderLine(line))
            return Status::Error;
    }
    *consumed += headEnd;
    return finishHead();
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
        fail(400, QStringLiteral("malformed request line"));
        return false;
    }
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method)) {
        fail(400, QStringLiteral("malformed request method"));
        return false;
    }
    if (version == "HTTP/1.1") {
        m_request.versionMinor = 1;
    } else if (version == "HTTP/1.0") {
        m_request.versionMinor = 0;
    } else if (version.startsWith("HTTP/") && version.size() == 8) {
        fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"));
        return false;
    } else {
        fail(400, QStringLiteral("malformed HTTP version"));
        return false;
    }
    if (target.isEmpty()) {
        fail(400, QStringLiteral("empty request target"));
        return false;
    }
    for (char c : target) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
            fail(400, QStringLiteral("invalid character in request target"));
            return false;
        }
    }
    QByteArrayView originForm = target;
    if (target.front() != '/') {
        // Absolute form (http://host/path) is what proxies send; keep the path.
        const qsizetype scheme = target.indexOf("://");
        if (scheme > 0 && method != "CONNECT") {
            const qsizetype slash = target.indexOf('/', scheme + 3);
            originForm = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
        } else if (!(target == "*" && method == "OPTIONS")) {
            fail(400, QStringLiteral("malformed request target"));
            return false;
        }
    }
    m_request.method = method.toByteArray();
    m_request.target = originForm.toByteArray();
    const qsizetype q = m_request.target.indexOf('?');
    m_request.path = q < 0 ? m_request.target : m_request.target.left(q);
    m_request.query = q < 0 ? QByteArray() : m_request.target.mid(q + 1);
    const qsizetype hash = m_request.query.indexOf('#');
    if (hash >= 0)
        m_request.query.truncate(hash);
    return true;
}

bool HttpRequestParser::parseHeaderLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t') {
        fail(400, QStringLiteral("obsolete header line folding is not accepted"));
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        fail(400, QStringLiteral("malformed header line"));
        return false;
    }
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f) {
            fail(400, QStringLiteral("control character in a header value"));
            return false;
        }
    }
    if (m_request.headers.size() >= m_limits.maxHeaderCount) {
        fail(431, QStringLiteral("more than %1 request headers").arg(m_limits.maxHeaderCount));
        return false;
    }
    if (m_request.headers.isEmpty())
        m_request.headers.reserve(16); // one allocation for a usual request head
    m_request.headers.append({line.first(colon).toByteArray().toLower(), value.toByteArray()});
    return true;
}

HttpRequestParser::Status HttpRequestParser::finishHead()
{
    bool haveLength = false;
    bool haveEncoding = false;
    qint64 length = -1;
    for (const HttpRequest::Header &h : std::as_const(m_request.headers)) {
        if (h.first == "content-length") {
            // "5, 5" and repeated equal headers are one length; anything else is ambiguous.
            qsizetype start = 0;
            while (start <= h.second.size()) {
                qsizetype end = h.second.indexOf(',', start);
                if (end < 0)
                    end = h.second.size();
                const QByteArrayView part = trimOws(QByteArrayView(h.second).sliced(start, end - start));
                if (part.isEmpty() || part.size() > 18)
                    return fail(part.size() > 18 ? 413 : 400, part.size() > 18
                                    ? QStringLiteral("request body exceeds the limit of %1 bytes").arg(m_bodyLimit)
                                    : QStringLiteral("malformed Content-Length"));
                qint64 v = 0;
                for (char c : part) {
                    if (c < '0' || c > '9')
                        return fail(400, QStringLiteral("malformed Content-Length"));
                    v = v * 10 + (c - '0');
                }
                if (haveLength && v != length)
                    return fail(400, QStringLiteral("conflicting Content-Length values"));
                length = v;
                haveLength = true;
                start = end + 1;
            }
        } else if (h.first == "transfer-encoding") {
            if (haveEncoding || h.second.compare("chunked", Qt::CaseInsensitive) != 0)
                return fail(501, QStringLiteral("only the chunked transfer coding is accepted"));
            haveEncoding = true;
        } else if (h.first == "connection") {
            if (listContains(h.second, "close"))
                m_keepAlive = false;
            else if (listContains(h.second, "keep-alive"))
                m_keepAlive = true;
        } else if (h.first == "expect") {
            if (h.second.compare("100-continue", Qt::CaseInsensitive) != 0)
                return fail(417, QStringLiteral("only Expect: 100-continue is understood"));
            m_expectContinue = true;
        }
    }
    if (m_request.versionMinor == 0) {
        const QByteArray connection = m_request.header("connection");
        m_keepAlive = listContains(connection, "keep-alive");
        m_expectContinue = false;
    }
    if (haveLength && haveEncoding)
        return fail(400, QStringLiteral("Content-Length and Transfer-Encoding together are refused"));
    if (haveEncoding && m_request.versionMinor == 0)
        return fail(400, QStringLiteral("chunked transfer coding needs HTTP/1.1"));
    if (haveLength && length > m_bodyLimit)
        return fail(413, QStringLiteral("request body of %1 bytes exceeds the limit of %2 bytes")
                             .arg(length).arg(m_bodyLimit));

    m_chunked = haveEncoding;
    m_contentLength = m_chunked ? -1 : qMax<qint64>(0, length);
    if (!hasBody()) {
        m_expectContinue = false;
        m_state = State::Done;
        return Status::Complete;
    }
    if (!m_chunked)
        m_request.body.reserve(qsizetype(qMin<qint64>(m_contentLength, 256 * 1024)));
    m_state = m_chunked ? State::ChunkSize : State::Body;
    return Status::HeadersComplete;
}

HttpRequestParser::Status HttpRequestParser::parseBody(const char *data, qsizetype size, qsizetype *consumed)
{
    qsizetype pos = 0;
    while (pos < size || m_state == State::Done) {
        switch (m_state) {
        case State::Body: {
            const qsizetype take = qsizetype(qMin<qint64>(size - pos, m_contentLength - m_bodyRead));
            m_request.body.append(data + pos, take);
            pos += take;
            m_bodyRead += take;
            if (m_bodyRead == m_contentLength)
                m_state = State::Done;
            break;
        }
        case State::ChunkSize: {
            const qsizetype nl = lineEnd(data, size, pos);
            if (nl < 0) {
                if (size - pos > kMaxChunkLine)
                    return fail(400, QStringLiteral("malformed chunk size line"));
                *consumed = pos;
                return Status::NeedMore;
            }
            QByteArrayView line(data + pos, nl - pos - 1);
            if (line.endsWith('\r'))
                line.chop(1);
            pos = nl;
            qint64 chunk = 0;
            qsizetype i = 0;
            for (; i < line.size() && hexValue(line[i]) >= 0; ++i) {
                if (i >= 15)
                    return fail(413, QStringLiteral("request body exceeds the limit of %1 bytes").arg(m_bodyLimit));
                chunk = chunk * 16 + hexValue(line[i]);
            }
            if (i == 0)
                return fail(400, QStringLiteral("malformed chunk size line"));
            const QByteArrayView rest = trimOws(line.sliced(i));
            if (!rest.isEmpty() && rest.front() != ';')
                return fail(400, QStringLiteral("malformed chunk size line"));
            if (m_bodyRead + chunk > m_bodyLimit)
                return fail(413, QStringLiteral("request body exceeds the limit of %1 bytes").arg(m_bodyLimit));
            m_chunkRemaining = chunk;
            m_state = chunk == 0 ? State::Trailers : State::ChunkData;
            break;
        }
        case State::ChunkData: {
            const qsizetype take = qsizetype(qMin<qint64>(size - pos, m_chunkRemaining));
            const qsizetype needed = m_request.body.size() + take;
            if (needed > m_request.body.capacity()) {
                // Grow geometrically but never past the limit, so a body at
                // the limit costs the limit and not twice it.
                m_request.body.reserve(qsizetype(qMin<qint64>(m_bodyLimit, qMax<qint64>(needed, m_request.body.capacity() * 2))));
            }
            m_request.body.append(data + pos, take);
            pos += take;
            m_bodyRead += take;
            m_chunkRemaining -= take;
            if (m_chunkRemaining == 0)
                m_state = State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd: {
            if (data[pos] == '\n') {
                pos += 1;
            } else if (data[pos] == '\r') {
                if (pos + 1 >= size) {
                    *consumed = pos;
                    return Status::NeedMore;
                }
                if (data[pos + 1] != '\n')
                    return fail(400, QStringLiteral("chunk data not followed by CRLF"));
                pos += 2;
            } else {
                return fail(400, QStringLiteral("chunk data not followed by CRLF"));
            }
            m_state = State::ChunkSize;
            break;
        }
        case State::Trailers: {
            const qsizetype nl = lineEnd(data, size, pos);
            if (nl < 0) {
                if (m_trailerBytes + (size - pos) > m_limits.maxHeaderBytes)
                    return fail(431, QStringLiteral("request trailers exceed %1 bytes").arg(m_limits.maxHeaderBytes));
                *consumed = pos;
                return Status::NeedMore;
            }
            QByteArrayView line(data + pos, nl - pos - 1);
            if (line.endsWith('\r'))
                line.chop(1);
            m_trailerBytes += nl - pos;
            pos = nl;
            if (m_trailerBytes > m_limits.maxHeaderBytes)
                return fail(431, QStringLiteral("request trailers exceed %1 bytes").arg(m_limits.maxHeaderBytes));
            if (line.isEmpty())
                m_state = State::Done; // trailers themselves are dropped
            break;
        }
        case State::Done:
            *consumed = pos;
            return Status::Complete;
        case State::Head:
        case State::Failed:
            Q_UNREACHABLE();
        }
    }
    *consumed = pos;
    return Status::NeedMore;
}

} // namespace gw
