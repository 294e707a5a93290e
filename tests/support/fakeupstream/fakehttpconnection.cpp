#include "fakehttpconnection.h"

#include <QDateTime>
#include <QStringBuilder>
#include <QTcpSocket>
#include <QUrl>

namespace gw::test {

namespace {

// Generous: the fake must not be the reason a big test payload fails.
constexpr qsizetype kMaxHead = 64 * 1024;
constexpr qint64 kMaxBody = 256LL * 1024 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return QByteArrayLiteral("Continue");
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 202: return QByteArrayLiteral("Accepted");
    case 204: return QByteArrayLiteral("No Content");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 402: return QByteArrayLiteral("Payment Required");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 408: return QByteArrayLiteral("Request Timeout");
    case 409: return QByteArrayLiteral("Conflict");
    case 413: return QByteArrayLiteral("Payload Too Large");
    case 422: return QByteArrayLiteral("Unprocessable Entity");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 502: return QByteArrayLiteral("Bad Gateway");
    case 503: return QByteArrayLiteral("Service Unavailable");
    case 504: return QByteArrayLiteral("Gateway Timeout");
    case 529: return QByteArrayLiteral("Overloaded");
    default: return QByteArrayLiteral("Status");
    }
}

bool isHeaderNamed(const std::pair<QByteArray, QByteArray> &header, QByteArrayView name)
{
    return header.first.compare(name, Qt::CaseInsensitive) == 0;
}

} // namespace

FakeHttpConnection::FakeHttpConnection(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    socket->setParent(this);
}

FakeHttpConnection::~FakeHttpConnection() = default;

void FakeHttpConnection::start()
{
    // Without it Nagle holds a small event back until the previous segment is
    // acknowledged, and delayed ACKs make that ~40 ms: events would bunch up.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &FakeHttpConnection::onReadyRead);
    // Both: a reset arrives as an error, an orderly close as disconnected().
    connect(m_socket, &QTcpSocket::disconnected, this, &FakeHttpConnection::onGone);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &FakeHttpConnection::onGone);
    onReadyRead();
}

void FakeHttpConnection::onReadyRead()
{
    if (m_closed || !m_socket)
        return;
    m_in.append(m_socket->readAll());
    processInput();
}

void FakeHttpConnection::processInput()
{
    // Answers may be sent synchronously from inside requestReady; the loop
    // then picks up a pipelined request instead of recursing.
    if (m_processing)
        return;
    m_processing = true;
    while (!m_answering && !m_closed && !m_closing) {
        FakeRecordedRequest request;
        const Parse result = parseRequest(&request);
        if (result == Parse::NeedMore)
            break;
        if (result == Parse::Bad) {
            m_answering = true;
            m_keepAlive = false;
            sendResponse(400, {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain")}},
                         QByteArrayLiteral("fake-upstream: malformed HTTP request\n"));
            break;
        }
        m_answering = true;
        m_keepAlive = m_requestKeepAlive;
        Q_EMIT requestReady(request);
    }
    m_processing = false;
}

FakeHttpConnection::Parse FakeHttpConnection::parseRequest(FakeRecordedRequest *request)
{
    if (!m_headParsed) {
        // Stray CRLFs between requests are allowed (RFC 9112 2.2).
        qsizetype skip = 0;
        while (skip + 1 < m_in.size() && m_in.at(skip) == '\r' && m_in.at(skip + 1) == '\n')
            skip += 2;
        m_in.remove(0, skip);
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0)
            return m_in.size() > kMaxHead ? Parse::Bad : Parse::NeedMore;
        m_headEnd = end + 4;
        const QList<QByteArray> lines = m_in.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
            return Parse::Bad;
        m_pending = FakeRecordedRequest();
        m_pending.method = requestLine.at(0);
        const QByteArray target = requestLine.at(1);
        const qsizetype question = target.indexOf('?');
        m_pending.path = QUrl::fromPercentEncoding(question < 0 ? target : target.left(question));
        m_pending.query = question < 0 ? QString() : QString::fromUtf8(target.mid(question + 1));
        m_http10 = requestLine.at(2) == "HTTP/1.0";
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return Parse::Bad;
            m_pending.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        const QByteArray connection = m_pending.header("connection").toLower();
        m_requestKeepAlive = m_http10 ? connection.contains("keep-alive") : !connection.contains("close");
        m_chunkedBody = m_pending.header("transfer-encoding").toLower().contains("chunked");
        m_contentLength = 0;
        if (!m_chunkedBody && !m_pending.header("content-length").isEmpty()) {
            bool ok = false;
            m_contentLength = m_pending.header("content-length").toLongLong(&ok);
            if (!ok || m_contentLength < 0 || m_contentLength > kMaxBody)
                return Parse::Bad;
        }
        m_headParsed = true;
        if (m_pending.header("expect").toLower() == "100-continue" && m_socket) {
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            m_socket->flush();
        }
    }

    qsizetype end = 0;
    if (m_chunkedBody) {
        const Parse body = parseChunkedBody(m_headEnd, &m_pending.body, &end);
        if (body != Parse::Complete)
            return body;
    } else {
        if (m_in.size() - m_headEnd < m_contentLength)
            return Parse::NeedMore;
        m_pending.body = m_in.mid(m_headEnd, m_contentLength);
        end = m_headEnd + m_contentLength;
    }
    m_in.remove(0, end);
    m_headParsed = false;
    m_pending.received = QDateTime::currentDateTimeUtc();
    *request = std::move(m_pending);
    m_pending = FakeRecordedRequest();
    return Parse::Complete;
}

// Parses from scratch on every read: simple, and test bodies are small.
FakeHttpConnection::Parse FakeHttpConnection::parseChunkedBody(qsizetype from, QByteArray *body, qsizetype *end) const
{
    QByteArray decoded;
    qsizetype pos = from;
    for (;;) {
        const qsizetype lineEnd = m_in.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return Parse::NeedMore;
        QByteArray sizeText = m_in.mid(pos, lineEnd - pos);
        const qsizetype semicolon = sizeText.indexOf(';');
        if (semicolon >= 0)
            sizeText.truncate(semicolon);
        bool ok = false;
        const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0 || decoded.size() + size > kMaxBody)
            return Parse::Bad;
        pos = lineEnd + 2;
        if (size == 0) {
            // Trailers, then an empty line.
            for (;;) {
                const qsizetype trailerEnd = m_in.indexOf("\r\n", pos);
                if (trailerEnd < 0)
                    return Parse::NeedMore;
                const bool last = trailerEnd == pos;
                pos = trailerEnd + 2;
                if (last) {
                    *body = decoded;
                    *end = pos;
                    return Parse::Complete;
                }
            }
        }
        if (m_in.size() < pos + size + 2)
            return Parse::NeedMore;
        decoded.append(m_in.constData() + pos, size);
        pos += size + 2;
    }
}

void FakeHttpConnection::writeHead(int status, const FakeHeaders &headers, qint64 contentLength, bool chunked)
{
    QByteArray head = QByteArrayLiteral("HTTP/1.1 ") % QByteArray::number(status) % ' ' % reasonPhrase(status)
        % QByteArrayLiteral("\r\n");
    for (const auto &header : headers) {
        // Framing is this class's business; a behaviour cannot break it by accident.
        if (isHeaderNamed(header, "content-length") || isHeaderNamed(header, "transfer-encoding")
            || isHeaderNamed(header, "connection"))
            continue;
        head += header.first % QByteArrayLiteral(": ") % header.second % QByteArrayLiteral("\r\n");
    }
    if (contentLength >= 0)
        head += QByteArrayLiteral("Content-Length: ") % QByteArray::number(contentLength) % QByteArrayLiteral("\r\n");
    if (chunked)
        head += QByteArrayLiteral("Transfer-Encoding: chunked\r\n");
    head += m_keepAlive ? QByteArrayLiteral("Connection: keep-alive\r\n") : QByteArrayLiteral("Connection: close\r\n");
    head += QByteArrayLiteral("\r\n");
    m_socket->write(head);
}

void FakeHttpConnection::sendResponse(int status, const FakeHeaders &headers, const QByteArray &body)
{
    if (m_closed || !m_socket)
        return;
    writeHead(status, headers, body.size(), false);
    m_socket->write(body);
    m_socket->flush();
    finishResponse();
}

void FakeHttpConnection::sendTruncated(int status, const FakeHeaders &headers, const QByteArray &body, qsizetype bytes,
                                       bool closeAfter)
{
    if (m_closed || !m_socket)
        return;
    writeHead(status, headers, body.size(), false);
    m_socket->write(body.left(bytes));
    m_socket->flush();
    if (closeAfter)
        cut();
}

void FakeHttpConnection::beginStream(int status, const FakeHeaders &headers)
{
    if (m_closed || !m_socket)
        return;
    // HTTP/1.0 has no chunked coding; the close marks the end there.
    m_streamChunked = !m_http10;
    if (m_http10)
        m_keepAlive = false;
    writeHead(status, headers, -1, m_streamChunked);
    m_socket->flush();
}

void FakeHttpConnection::writeStreamData(const QByteArray &data)
{
    if (m_closed || !m_socket || data.isEmpty())
        return;
    if (m_streamChunked)
        m_socket->write(QByteArray::number(data.size(), 16) % QByteArrayLiteral("\r\n") % data % QByteArrayLiteral("\r\n"));
    else
        m_socket->write(data);
    // Flushed per event so that a client sees events arrive one by one.
    m_socket->flush();
}

void FakeHttpConnection::endStream()
{
    if (m_closed || !m_socket)
        return;
    if (m_streamChunked)
        m_socket->write(QByteArrayLiteral("0\r\n\r\n"));
    m_socket->flush();
    finishResponse();
}

void FakeHttpConnection::finishResponse()
{
    m_answering = false;
    if (!m_keepAlive) {
        m_closing = true;
        // Lets queued bytes go out before the FIN.
        m_socket->disconnectFromHost();
        return;
    }
    processInput();
}

void FakeHttpConnection::cut()
{
    if (m_closed || !m_socket)
        return;
    m_answering = false;
    m_closing = true;
    m_socket->flush();
    // abort() drops unsent bytes; the client must still get what came before the cut.
    if (m_socket->bytesToWrite() > 0)
        m_socket->disconnectFromHost();
    else
        m_socket->abort();
}

void FakeHttpConnection::closeNow()
{
    if (m_closed || !m_socket)
        return;
    m_answering = false;
    m_closing = true;
    m_socket->abort();
}

void FakeHttpConnection::onGone()
{
    if (m_closed)
        return;
    const bool clientAborted = m_answering && !m_closing;
    m_closed = true;
    m_answering = false;
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    if (clientAborted)
        Q_EMIT clientGone();
    Q_EMIT closed();
    deleteLater();
}

} // namespace gw::test
