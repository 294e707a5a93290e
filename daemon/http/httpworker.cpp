#include "httpworker.h"

#include "io/ioreactor.h"

#include "httpconnection.h"
#include "httpexchange.h"
#include "httplistener.h"
#include "observability/monotonicclock.h"

#include <QAbstractEventDispatcher>
#include <QDateTime>
#include <QLocale>

#include <QThread>

#include <unistd.h>

namespace gw {

namespace {
thread_local HttpWorker *t_currentWorker = nullptr;
}

HttpWorker::HttpWorker(int index, std::shared_ptr<const HttpRouter> router, const HttpLimits &limits,
                       HttpAccessObserver observer)
    : m_index(index)
    , m_router(std::move(router))
    , m_limits(limits)
    , m_observer(std::move(observer))
    , m_sweepTimer(this)
{
    m_sweepTimer.setInterval(250);
    connect(&m_sweepTimer, &QTimer::timeout, this, &HttpWorker::sweep);
}

HttpWorker::~HttpWorker()
{
    if (t_currentWorker == this)
        t_currentWorker = nullptr;
    // Open connections go first, while the reactor they are watched by is
    // still there (children would be deleted after it).
    const auto open = std::move(m_connections);
    m_connections.clear();
    for (HttpConnection *connection : open)
        delete connection;
}

HttpWorker *HttpWorker::current()
{
    return t_currentWorker;
}

const QByteArray &HttpWorker::httpDate()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != m_dateSecond) {
        m_dateSecond = now;
        m_date = QLocale::c()
                     .toString(QDateTime::fromSecsSinceEpoch(now, Qt::UTC), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
                     .toLatin1()
                 + " GMT";
    }
    return m_date;
}

void HttpWorker::makeCurrent()
{
    t_currentWorker = this;
}

void HttpWorker::addListener(int fd, unsigned scope)
{
    auto *listener = new HttpListener(fd, scope, this);
    listener->start();
    m_listeners.append(listener);
    if (!m_sweepTimer.isActive())
        m_sweepTimer.start();
}

void HttpWorker::adoptConnection(int fd, const QHostAddress &peer, quint16 port, unsigned scope)
{
    if (m_draining || int(m_connections.size()) >= m_limits.maxConnectionsPerWorker) {
        ::close(fd);
        return;
    }
    auto *connection = new HttpConnection(fd, peer, port, scope, this);
    m_connections.insert(connection);
    m_connectionCount.store(int(m_connections.size()), std::memory_order_relaxed);
    connection->start();
}

IoReactor &HttpWorker::reactor()
{
    if (!m_reactor)
        m_reactor = new IoReactor(this);
    return *m_reactor;
}

void HttpWorker::connectionClosed(HttpConnection *connection)
{
    if (m_connections.erase(connection) > 0)
        connection->deleteLater();
    m_connectionCount.store(int(m_connections.size()), std::memory_order_relaxed);
}

bool HttpWorker::scheduleFlush(HttpConnection *connection)
{
    if (!m_flushHooked) {
        // The dispatcher announces every pass of the loop with awake() (the
        // UNIX one, before it handles posted events or waits) or
        // aboutToBlock() (the Glib one, before it waits); that is when the
        // output of the previous pass goes out. No event is posted for it.
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(thread());
        if (!dispatcher || thread() != QThread::currentThread())
            return false;
        connect(dispatcher, &QAbstractEventDispatcher::awake, this, &HttpWorker::flushScheduled);
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &HttpWorker::flushScheduled);
        m_flushHooked = true;
    }
    m_flushQueue.push_back(connection);
    return true;
}

void HttpWorker::flushScheduled()
{
    if (m_flushQueue.empty())
        return;
    std::vector<HttpConnection *> queue;
    queue.swap(m_flushQueue);
    for (HttpConnection *c : queue) {
        // Closed ones are gone from the set (and may be deleted already).
        if (m_connections.count(c))
            c->flushScheduled();
    }
    // Keep the vector's memory for the next pass.
    if (m_flushQueue.empty()) {
        queue.clear();
        m_flushQueue.swap(queue);
    }
}

void HttpWorker::sweep()
{
    // A safety net: output queued for the loop's next pass goes out at the
    // latest with the sweep.
    flushScheduled();
    const qint64 now = monotonicMs();
    // Copy: a timeout closes a connection, which edits the set.
    const std::vector<HttpConnection *> all(m_connections.begin(), m_connections.end());
    for (HttpConnection *c : all) {
        if (m_connections.count(c))
            c->checkTimeouts(now);
    }
}

void HttpWorker::beginDrain()
{
    m_draining = true;
    for (HttpListener *l : std::as_const(m_listeners))
        l->stop();
    const std::vector<HttpConnection *> all(m_connections.begin(), m_connections.end());
    for (HttpConnection *c : all) {
        if (m_connections.count(c))
            c->closeIfIdle();
    }
}

void HttpWorker::shutdown()
{
    flushScheduled();
    beginDrain();
    m_sweepTimer.stop();
    const std::vector<HttpConnection *> all(m_connections.begin(), m_connections.end());
    for (HttpConnection *c : all)
        delete c;
    m_connections.clear();
    m_connectionCount.store(0);
    qDeleteAll(m_listeners);
    m_listeners.clear();
}

void HttpWorker::logExchange(const HttpExchange &exchange, qint64 startMs)
{
    if (!m_observer)
        return;
    const HttpRequest &r = exchange.request();
    HttpAccessRecord record;
    record.method = r.method;
    record.rawTarget = r.target;
    record.requestId = r.requestId;
    record.peer = r.peer;
    record.family = exchange.family();
    record.status = exchange.status();
    record.durationUs = (monotonicMs() - startMs) * 1000;
    record.bodyBytesOut = exchange.bytesSent();
    record.fields = exchange.logFields();
    m_observer(record);
}

void HttpWorker::logRefusal(const HttpRequest &partial, const QByteArray &requestId, int status, const QString &why,
                            const QHostAddress &peer)
{
    if (!m_observer)
        return;
    HttpAccessRecord record;
    record.method = partial.method;
    record.rawTarget = partial.target;
    record.requestId = requestId;
    record.peer = peer;
    record.family = apiFamilyForPath(partial.path);
    record.status = status;
    record.refusedByGuard = true;
    record.refusal = why;
    m_observer(record);
}

} // namespace gw
