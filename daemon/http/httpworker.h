#pragma once

#include "httpaccessrecord.h"
#include "httplimits.h"
#include "httprouter.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <unordered_set>
#include <vector>

namespace gw {

class IoReactor;

class HttpConnection;
class HttpExchange;
class HttpListener;
class HttpRequest;

// One HTTP event-loop thread: its listeners, its connections, the sweep that
// enforces their timeouts, and the context that work from other threads
// posts results to.
class HttpWorker : public QObject
{
    Q_OBJECT

public:
    HttpWorker(int index, std::shared_ptr<const HttpRouter> router, const HttpLimits &limits,
               HttpAccessObserver observer);
    ~HttpWorker() override;

    int index() const { return m_index; }
    const HttpRouter &router() const { return *m_router; }
    const HttpLimits &limits() const { return m_limits; }
    bool draining() const { return m_draining; }
    int connectionCount() const { return m_connectionCount.load(std::memory_order_relaxed); }
    // The epoll set this thread's client sockets are watched through; made on
    // first use, on the worker's thread.
    IoReactor &reactor();
    const QByteArray &httpDate();

    // Called on the worker's thread.
    void makeCurrent();
    void addListener(int fd, unsigned scope);
    void beginDrain();
    void shutdown();

    // For listeners and connections.
    void adoptConnection(int fd, const QHostAddress &peer, quint16 port, unsigned scope);
    void connectionClosed(HttpConnection *connection);
    // Flushes `connection` when the event loop starts its next pass (once
    // everything the current pass produced is queued); false when that
    // cannot be arranged and the caller must flush now.
    bool scheduleFlush(HttpConnection *connection);
    void logExchange(const HttpExchange &exchange, qint64 startMs);
    void logRefusal(const HttpRequest &partial, const QByteArray &requestId, int status, const QString &why,
                    const QHostAddress &peer);

    // The worker serving the calling thread, or nullptr off the HTTP threads.
    static HttpWorker *current();

private:
    IoReactor *m_reactor = nullptr;
    void sweep();
    void flushScheduled();

    int m_index;
    std::shared_ptr<const HttpRouter> m_router;
    HttpLimits m_limits;
    HttpAccessObserver m_observer;
    QList<HttpListener *> m_listeners;
    std::unordered_set<HttpConnection *> m_connections;
    std::atomic<int> m_connectionCount{0};
    QTimer m_sweepTimer;
    bool m_draining = false;
    std::vector<HttpConnection *> m_flushQueue;
    bool m_flushHooked = false;
    qint64 m_dateSecond = -1;
    QByteArray m_date;
};

} // namespace gw
