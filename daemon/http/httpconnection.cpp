#include "httpconnection.h"

#include "io/ioreactor.h"

#include "apierror.h"
#include "httpexchange.h"
#include "httpworker.h"
#include "observability/monotonicclock.h"
#include "observability/requestid.h"


#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace gw {

namespace {

constexpr qsizetype kReadChunk = 64 * 1024;
constexpr qsizetype kDrainLowWater = 16 * 1024;
// Stream output waits for the end of the loop pass only up to this much.
constexpr qsizetype kDeferredFlushBytes = 64 * 1024;
constexpr int kLingerMs = 2000;
constexpr int kMaxIov = 64;

void appendDecimal(QByteArray &out, qint64 value)
{
    char digits[24];
    qsizetype n = 0;
    quint64 v = value < 0 ? quint64(0) - quint64(value) : quint64(value);
    do {
        digits[n++] = char('0' + v % 10);
        v /= 10;
    } while (v > 0);
    if (value < 0)
        out += '-';
    while (n > 0)
        out += digits[--n];
}

} // namespace

HttpConnection::HttpConnection(int fd, const QHostAddress &peer, quint16 peerPort, unsigned scope, HttpWorker *worker)
    : QObject(worker)
    , m_fd(fd)
    , m_peer(peer)
    , m_peerPort(peerPort)
    , m_scope(scope)
    , m_worker(worker)
    , m_parser(worker->limits())
{
}

HttpConnection::~HttpConnection()
{
    if (m_fd >= 0) {
        if (m_watched)
            m_worker->reactor().unwatch(m_fd);
        ::close(m_fd);
    }
}

void HttpConnection::start()
{
    // Through the worker's epoll set, not a notifier each: Qt's dispatcher
    // polls every notifier on every wake-up.
    m_watched = m_worker->reactor().watch(m_fd, IoReactor::Read, [this](uint32_t ready) {
        if ((ready & IoReactor::Write) && m_phase != Phase::Closed)
            onWritable();
        if ((ready & IoReactor::Read) && m_phase != Phase::Closed)
            onReadable();
    });
    m_readEnabled = true;
    m_phaseStartMs = monotonicMs();
    touch();
}

void HttpConnection::touch()
{
    m_lastActivityMs = monotonicMs();
}

void HttpConnection::setReadEnabled(bool enabled)
{
    if (m_readEnabled == enabled || !m_watched)
        return;
    m_readEnabled = enabled;
    updateInterest();
}

void HttpConnection::setWriteEnabled(bool enabled)
{
    if (m_writeEnabled == enabled || !m_watched)
        return;
    m_writeEnabled = enabled;
    updateInterest();
}

void HttpConnection::updateInterest()
{
    m_worker->reactor().setInterest(m_fd, (m_readEnabled ? IoReactor::Read : IoReactor::None)
                                              | (m_writeEnabled ? IoReactor::Write : IoReactor::None));
}

bool HttpConnection::isBusy() const
{
    return m_phase != Phase::Idle && m_phase != Phase::Closed;
}

void HttpConnection::onReadable()
{
    if (m_phase == Phase::Closed)
        return;
    if (!readFromSocket())
        return;
    processInput();
}

bool HttpConnection::readFromSocket()
{
    for (int round = 0; round < 16; ++round) {
        if (m_phase == Phase::Lingering) {
            // Discard whatever the client still sends after a refusal.
            char sink[16384];
            const ssize_t n = ::recv(m_fd, sink, sizeof sink, 0);
            if (n > 0)
                continue;
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return false;
            closeNow();
            return false;
        }
        if (m_inPos > 0 && (m_inPos == m_in.size() || m_inPos > m_in.size() / 2)) {
            m_in.remove(0, m_inPos);
            m_inPos = 0;
        }
        if (m_phase == Phase::Handling && m_in.size() >= m_worker->limits().maxPipelinedBytes) {
            // Enough read ahead: the rest waits in the kernel until this response is done.
            setReadEnabled(false);
            return true;
        }
        const qsizetype oldSize = m_in.size();
        m_in.resize(oldSize + kReadChunk);
        const ssize_t n = ::recv(m_fd, m_in.data() + oldSize, size_t(kReadChunk), 0);
        if (n > 0) {
            m_in.resize(oldSize + n);
            touch();
            if (n < kReadChunk)
                break;
            continue;
        }
        m_in.resize(oldSize);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        // End of stream or a reset: the client is gone, or at least done sending.
        m_peerClosed = true;
        setReadEnabled(false);
        if (m_phase == Phase::Handling) {
            handleClientGone();
            return false;
        }
        if (m_phase == Phase::Closing) {
            closeNow();
            return false;
        }
        break;
    }
    return true;
}

void HttpConnection::processInput()
{
    if (m_processing || m_phase == Phase::Closed)
        return;
    m_processing = true;
    while (m_phase == Phase::Idle || m_phase == Phase::ReadingHead || m_phase == Phase::ReadingBody) {
        const qsizetype available = m_in.size() - m_inPos;
        if (available == 0)
            break;
        qsizetype consumed = 0;
        const auto status = m_parser.feed(m_in.constData() + m_inPos, available, &consumed);
        m_inPos += consumed;
        if (m_phase == Phase::Idle && m_parser.started()) {
            m_phase = Phase::ReadingHead;
            m_phaseStartMs = monotonicMs();
        }
        if (status == HttpRequestParser::Status::NeedMore)
            break;
        if (status == HttpRequestParser::Status::Error) {
            refuse(m_parser.errorStatus(), m_parser.errorMessage());
            break;
        }
        if (status == HttpRequestParser::Status::HeadersComplete) {
            onHeadersComplete();
            continue;
        }
        dispatch(false);
    }
    m_processing = false;
    if (m_phase == Phase::Closed)
        return;
    if (m_peerClosed && (m_phase == Phase::Idle || m_phase == Phase::ReadingHead || m_phase == Phase::ReadingBody))
        closeNow();
}

void HttpConnection::onHeadersComplete()
{
    const HttpRequest &request = m_parser.request();
    m_requestId = RequestId::next();
    m_requestStartMs = monotonicMs();
    m_match = m_worker->router().match(request.method, request.path, m_scope);
    m_headHandled = true;
    if (m_match.kind != HttpRouter::Match::Found) {
        // Answer before reading a body nobody will use; the body is discarded.
        dispatch(true);
        return;
    }
    const qint64 routeLimit = m_match.route->maxBodyBytes;
    if (routeLimit > 0 && routeLimit < m_parser.bodyLimit()) {
        if (m_parser.contentLength() > routeLimit) {
            refuse(413, QStringLiteral("request body of %1 bytes exceeds this route's limit of %2 bytes")
                            .arg(m_parser.contentLength())
                            .arg(routeLimit));
            return;
        }
        m_parser.setBodyLimit(routeLimit);
    }
    if (m_parser.expectsContinue()) {
        queue(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        flush();
        if (m_phase == Phase::Closed)
            return;
    }
    m_phase = Phase::ReadingBody;
    m_phaseStartMs = monotonicMs();
}

void HttpConnection::dispatch(bool bodyUnread)
{
    if (!m_headHandled) {
        // A request without a body: its head and the request are complete at once.
        m_requestId = RequestId::next();
        m_requestStartMs = monotonicMs();
        m_match = m_worker->router().match(m_parser.request().method, m_parser.request().path, m_scope);
    }
    m_headHandled = false;
    HttpRequest request = m_parser.takeRequest();
    request.peer = m_peer;
    request.peerPort = m_peerPort;
    request.requestId = m_requestId;
    request.receivedAtMs = m_requestStartMs;
    m_keepAlive = m_parser.wantsKeepAlive() && !m_peerClosed && !bodyUnread;
    m_headRequest = request.isHead();
    m_http10 = request.versionMinor == 0;
    m_parser.reset();
    m_phase = Phase::Handling;
    m_phaseStartMs = monotonicMs();

    const HttpRouter::Route *route = m_match.kind == HttpRouter::Match::Found ? m_match.route : nullptr;
    auto exchange = std::make_shared<HttpExchange>(this, std::move(request), route, std::move(m_match.params), m_worker);
    m_current = exchange;
    const auto kind = m_match.kind;
    const auto allowed = m_match.allowedMethods;
    m_match = HttpRouter::Match();

    if (kind == HttpRouter::Match::Found) {
        route->handler(exchange);
        return;
    }
    ApiError error;
    if (kind == HttpRouter::Match::MethodNotAllowed) {
        error.status = 405;
        error.message = QStringLiteral("method %1 is not allowed here; allowed: %2")
                            .arg(QString::fromLatin1(exchange->request().method),
                                 QString::fromLatin1(allowed.join(", ")));
        error.code = QStringLiteral("method_not_allowed");
        HttpResponse response = error.toResponse(exchange->family());
        response.setHeader("allow", allowed.join(", "));
        exchange->respond(std::move(response));
    } else {
        error = ApiError::notFound(QStringLiteral("no route for %1 %2")
                                       .arg(QString::fromLatin1(exchange->request().method),
                                            QString::fromLatin1(exchange->request().path.left(200))));
        exchange->respondError(error);
    }
}

void HttpConnection::refuse(int status, const QString &message)
{
    if (m_phase == Phase::Closed || m_phase == Phase::Closing || m_phase == Phase::Lingering)
        return;
    if (m_requestId.isEmpty())
        m_requestId = RequestId::next();
    ApiError error;
    error.status = status;
    error.message = message;
    error.code = status == 413 ? QStringLiteral("request_too_large")
               : status == 431 ? QStringLiteral("headers_too_large")
               : status == 408 ? QStringLiteral("request_timeout")
                               : QStringLiteral("bad_request");
    const QByteArray path = m_parser.request().path;
    const HttpResponse response = error.toResponse(apiFamilyForPath(path));
    m_keepAlive = false;
    m_headRequest = false;
    m_http10 = false;
    m_phase = Phase::Handling;
    queueHead(response.status, response.headers, response.body.size(), false);
    queue(response.body);
    m_worker->logRefusal(m_parser.request(), m_requestId, status, message, m_peer);
    m_phase = Phase::Closing;
    m_lastWriteProgressMs = monotonicMs();
    flush();
}

void HttpConnection::queueHead(int status, const QList<HttpResponse::Header> &headers, qint64 contentLength,
                               bool streaming)
{
    QByteArray head;
    head.reserve(256);
    head += "HTTP/1.1 ";
    appendDecimal(head, status);
    head += ' ';
    head += httpReasonPhrase(status);
    head += "\r\ndate: ";
    head += m_worker->httpDate();
    head += "\r\nx-request-id: ";
    head += m_requestId;
    head += "\r\n";
    for (const auto &h : headers) {
        head += h.first;
        head += ": ";
        head += h.second;
        head += "\r\n";
    }
    const bool noBody = status < 200 || status == 204 || status == 304;
    if (m_worker->draining())
        m_keepAlive = false;
    m_chunkedOut = false;
    if (streaming) {
        if (m_http10) {
            m_keepAlive = false; // HTTP/1.0 has no chunked coding: the end of the body is the close
        } else {
            head += "transfer-encoding: chunked\r\n";
            m_chunkedOut = true;
        }
    } else if (!noBody) {
        head += "content-length: ";
        appendDecimal(head, contentLength);
        head += "\r\n";
    }
    if (!m_keepAlive)
        head += "connection: close\r\n";
    else if (m_http10)
        head += "connection: keep-alive\r\n";
    head += "\r\n";
    queue(std::move(head));
}

void HttpConnection::queue(QByteArray data)
{
    if (data.isEmpty())
        return;
    if (m_outBytes == 0)
        m_lastWriteProgressMs = monotonicMs();
    m_outBytes += data.size();
    m_out.push_back(std::move(data));
}

void HttpConnection::scheduleFlush()
{
    if (m_outBytes >= kDeferredFlushBytes || !m_worker->scheduleFlush(this)) {
        flush();
        return;
    }
    m_flushScheduled = true;
}

void HttpConnection::flushScheduled()
{
    if (m_flushScheduled && m_phase != Phase::Closed)
        flush();
}

void HttpConnection::flush()
{
    m_flushScheduled = false;
    while (!m_out.empty()) {
        iovec iov[kMaxIov];
        int count = 0;
        for (auto it = m_out.begin(); it != m_out.end() && count < kMaxIov; ++it, ++count) {
            const qsizetype offset = count == 0 ? m_outFrontOffset : 0;
            iov[count].iov_base = const_cast<char *>(it->constData()) + offset;
            iov[count].iov_len = size_t(it->size() - offset);
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = size_t(count);
        const ssize_t written = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                setWriteEnabled(true);
                return;
            }
            handleClientGone();
            return;
        }
        m_lastWriteProgressMs = monotonicMs();
        qsizetype left = written;
        m_outBytes -= written;
        while (left > 0) {
            const qsizetype frontLeft = m_out.front().size() - m_outFrontOffset;
            if (left >= frontLeft) {
                left -= frontLeft;
                m_out.pop_front();
                m_outFrontOffset = 0;
            } else {
                m_outFrontOffset += left;
                left = 0;
            }
        }
    }
    setWriteEnabled(false);
    if (m_phase == Phase::Closing) {
        startLingering();
        return;
    }
    if (m_watchDrain && m_outBytes < kDrainLowWater) {
        m_watchDrain = false;
        if (auto exchange = m_current.lock())
            exchange->notifyDrained();
    }
}

void HttpConnection::onWritable()
{
    if (m_phase == Phase::Closed)
        return;
    flush();
}

void HttpConnection::watchDrain()
{
    m_watchDrain = true;
    if (m_outBytes < kDrainLowWater) {
        m_watchDrain = false;
        if (auto exchange = m_current.lock())
            exchange->notifyDrained();
    }
}

void HttpConnection::sendResponse(HttpExchange *exchange, HttpResponse response)
{
    if (m_phase != Phase::Handling)
        return;
    queueHead(response.status, response.headers, response.body.size(), false);
    if (!m_headRequest)
        queue(std::move(response.body));
    m_worker->logExchange(*exchange, m_requestStartMs);
    finishResponse();
}

void HttpConnection::beginStream(HttpExchange *, int status, const QList<HttpResponse::Header> &headers)
{
    if (m_phase != Phase::Handling)
        return;
    queueHead(status, headers, -1, true);
    scheduleFlush();
}

void HttpConnection::writeStreamChunk(HttpExchange *, const QByteArray &data)
{
    if (m_phase != Phase::Handling || m_headRequest)
        return;
    if (m_chunkedOut) {
        // The size line, then the data itself (shared, not copied), then the
        // CRLF that ends the chunk.
        char line[20];
        qsizetype n = 0;
        for (qsizetype v = data.size(); v > 0 || n == 0; v >>= 4)
            line[n++] = "0123456789abcdef"[v & 0xf];
        QByteArray sizeLine(n + 2, Qt::Uninitialized);
        char *p = sizeLine.data();
        while (n > 0)
            *p++ = line[--n];
        *p++ = '\r';
        *p = '\n';
        queue(std::move(sizeLine));
        queue(data);
        queue(QByteArrayLiteral("\r\n"));
    } else {
        queue(data);
    }
    scheduleFlush();
}

void HttpConnection::endStream(HttpExchange *exchange)
{
    if (m_phase != Phase::Handling)
        return;
    if (m_chunkedOut && !m_headRequest)
        queue(QByteArrayLiteral("0\r\n\r\n"));
    m_worker->logExchange(*exchange, m_requestStartMs);
    finishResponse();
}

void HttpConnection::finishResponse()
{
    m_current.reset();
    m_requestId.clear();
    if (!m_keepAlive || m_worker->draining()) {
        m_phase = Phase::Closing;
        flush();
        return;
    }
    m_phase = Phase::Idle;
    m_phaseStartMs = monotonicMs();
    flush();
    if (m_phase != Phase::Idle)
        return;
    setReadEnabled(true);
    if (m_inPos < m_in.size() && !m_processing) {
        // Pipelined requests wait for this answer; handle the next one from
        // the event loop rather than inside the handler that just answered.
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
    }
}

void HttpConnection::startLingering()
{
    ::shutdown(m_fd, SHUT_WR);
    if (m_peerClosed) {
        closeNow();
        return;
    }
    m_phase = Phase::Lingering;
    m_phaseStartMs = monotonicMs();
    m_in.clear();
    m_inPos = 0;
    setReadEnabled(true);
}

void HttpConnection::handleClientGone()
{
    if (m_phase == Phase::Closed)
        return;
    closeNow();
}

void HttpConnection::closeNow()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closed;
    setReadEnabled(false);
    setWriteEnabled(false);
    m_out.clear();
    m_outBytes = 0;
    if (auto exchange = m_current.lock()) {
        m_current.reset();
        exchange->notifyClientGone();
    }
    if (m_watched) {
        m_worker->reactor().unwatch(m_fd);
        m_watched = false;
    }
    ::close(m_fd);
    m_fd = -1;
    m_worker->connectionClosed(this);
}

void HttpConnection::closeIfIdle()
{
    if (m_phase == Phase::Idle && m_inPos == m_in.size())
        closeNow();
}

void HttpConnection::checkTimeouts(qint64 nowMs)
{
    const HttpLimits &limits = m_worker->limits();
    switch (m_phase) {
    case Phase::Idle:
        if (nowMs - m_phaseStartMs > limits.idleTimeoutMs)
            closeNow();
        break;
    case Phase::ReadingHead:
        if (nowMs - m_phaseStartMs > limits.headerTimeoutMs)
            refuse(408, QStringLiteral("the request headers did not arrive within %1 ms").arg(limits.headerTimeoutMs));
        break;
    case Phase::ReadingBody:
        if (nowMs - m_lastActivityMs > limits.bodyTimeoutMs)
            refuse(408, QStringLiteral("the request body stalled for more than %1 ms").arg(limits.bodyTimeoutMs));
        break;
    case Phase::Handling:
        if (m_outBytes > 0 && nowMs - m_lastWriteProgressMs > limits.sendTimeoutMs)
            handleClientGone();
        break;
    case Phase::Closing:
        if (nowMs - m_lastWriteProgressMs > limits.sendTimeoutMs)
            closeNow();
        break;
    case Phase::Lingering:
        if (nowMs - m_phaseStartMs > kLingerMs)
            closeNow();
        break;
    case Phase::Closed:
        break;
    }
}

} // namespace gw
