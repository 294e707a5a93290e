#pragma once

#include "httplimits.h"
#include "httprequestparser.h"
#include "httpresponse.h"
#include "httprouter.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <deque>
#include <memory>


namespace gw {

class HttpExchange;
class HttpWorker;

// One client connection on a non-blocking socket, driven by the worker's IoReactor
// on its worker's thread. It owns the guards QtHttpServer 6.4 lacks: limits
// on head and body size checked before a body byte is buffered, timeouts for
// slow heads, slow bodies and idle keep-alives, Expect: 100-continue, one
// request in flight at a time (pipelined requests wait, read-ahead bounded),
// disconnect detection while a handler works, and a lingering close so that a
// client still sending a refused body reads its 413 instead of a reset.
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    HttpConnection(int fd, const QHostAddress &peer, quint16 peerPort, unsigned scope, HttpWorker *worker);
    ~HttpConnection() override;

    void start();

    // For HttpExchange.
    void sendResponse(HttpExchange *exchange, HttpResponse response);
    void beginStream(HttpExchange *exchange, int status, const QList<HttpResponse::Header> &headers);
    void writeStreamChunk(HttpExchange *exchange, const QByteArray &data);
    void endStream(HttpExchange *exchange);
    qsizetype pendingOutputBytes() const { return m_outBytes; }
    void watchDrain();

    // For HttpWorker.
    void checkTimeouts(qint64 nowMs);
    // Sends what scheduleFlush() left queued.
    void flushScheduled();
    void closeIfIdle();
    bool isBusy() const;

private:
    enum class Phase { Idle, ReadingHead, ReadingBody, Handling, Closing, Lingering, Closed };

    void onReadable();
    void onWritable();
    bool readFromSocket();
    void processInput();
    void onHeadersComplete();
    void dispatch(bool bodyUnread);
    void refuse(int status, const QString &message);
    void queueHead(int status, const QList<HttpResponse::Header> &headers, qint64 contentLength, bool streaming);
    void queue(QByteArray data);
    void flush();
    // Stream output goes out at the end of the event loop's current pass, so
    // that what one pass produces (a stream's head, its events, its end)
    // leaves in one sendmsg() rather than one each.
    void scheduleFlush();
    void finishResponse();
    void startLingering();
    void handleClientGone();
    void closeNow();
    void setReadEnabled(bool enabled);
    void setWriteEnabled(bool enabled);
    void updateInterest();
    void touch();

    int m_fd;
    QHostAddress m_peer;
    quint16 m_peerPort;
    unsigned m_scope;
    HttpWorker *m_worker;
    bool m_watched = false;
    bool m_readEnabled = false;
    bool m_writeEnabled = false;

    Phase m_phase = Phase::Idle;
    HttpRequestParser m_parser;
    QByteArray m_in;
    qsizetype m_inPos = 0;
    bool m_peerClosed = false;
    bool m_processing = false;

    HttpRouter::Match m_match;
    std::weak_ptr<HttpExchange> m_current;
    bool m_keepAlive = true;
    bool m_chunkedOut = false;
    bool m_headRequest = false;
    bool m_http10 = false;
    bool m_watchDrain = false;
    bool m_headHandled = false;
    bool m_flushScheduled = false;
    QByteArray m_requestId;

    std::deque<QByteArray> m_out;
    qsizetype m_outFrontOffset = 0;
    qsizetype m_outBytes = 0;

    qint64 m_phaseStartMs = 0;
    qint64 m_lastActivityMs = 0;
    qint64 m_lastWriteProgressMs = 0;
    qint64 m_requestStartMs = 0;
};

} // namespace gw
