#pragma once

#include "httpaccessrecord.h"
#include "httplimits.h"
#include "httprouter.h"

#include <QHostAddress>
#include <QList>
#include <QObject>

#include <memory>
#include <vector>

class QThread;

namespace gw {

class HttpWorker;

struct HttpEndpoint
{
    QHostAddress address;
    quint16 port = 0;
    unsigned scope = AnyScope;
};

// The HTTP front: N event-loop threads, each with its own listening socket on
// every endpoint and its own connections. The router is shared read-only.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    HttpServer(std::shared_ptr<const HttpRouter> router, const HttpLimits &limits, int workers,
               HttpAccessObserver observer = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    // Binds every endpoint (port 0 picks one) and starts serving.
    bool listen(const QList<HttpEndpoint> &endpoints, QString *error);
    // The port each endpoint got, in the order given to listen().
    QList<quint16> ports() const { return m_ports; }
    int workerCount() const { return int(m_workers.size()); }
    QObject *workerContext(int index) const;

    // Stops accepting, closes idle connections and lets busy ones finish
    // their current response; openConnections() falls to zero when done.
    void beginDrain();
    int openConnections() const;
    // Ends the threads; connections still open are cut.
    void stop();

private:
    std::shared_ptr<const HttpRouter> m_router;
    HttpLimits m_limits;
    HttpAccessObserver m_observer;
    std::vector<QThread *> m_threads;
    std::vector<HttpWorker *> m_workers;
    QList<quint16> m_ports;
    bool m_stopped = false;
};

} // namespace gw
