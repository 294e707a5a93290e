#include "httpserver.h"

#include "httplistener.h"
#include "httpworker.h"

#include <QThread>

#include <unistd.h>

namespace gw {

HttpServer::HttpServer(std::shared_ptr<const HttpRouter> router, const HttpLimits &limits, int workers,
                       HttpAccessObserver observer, QObject *parent)
    : QObject(parent)
    , m_router(std::move(router))
    , m_limits(limits)
    , m_observer(std::move(observer))
{
    workers = qMax(1, workers);
    for (int i = 0; i < workers; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("http-%1").arg(i));
        auto *worker = new HttpWorker(i, m_router, m_limits, m_observer);
        worker->moveToThread(thread);
        thread->start();
        QMetaObject::invokeMethod(worker, [worker] { worker->makeCurrent(); }, Qt::BlockingQueuedConnection);
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
}

HttpServer::~HttpServer()
{
    stop();
}

QObject *HttpServer::workerContext(int index) const
{
    return m_workers.at(size_t(index));
}

bool HttpServer::listen(const QList<HttpEndpoint> &endpoints, QString *error)
{
    const bool share = m_workers.size() > 1;
    std::vector<std::vector<int>> fds(m_workers.size());
    auto closeAll = [&fds] {
        for (auto &list : fds)
            for (int fd : list)
                ::close(fd);
    };
    for (const HttpEndpoint &endpoint : endpoints) {
        quint16 port = endpoint.port;
        if (share && port != 0) {
            // SO_REUSEPORT would let us join another process's listener on the
            // same port; find out first whether somebody holds it already.
            const int probe = HttpListener::openSocket(endpoint.address, port, false, error);
            if (probe < 0) {
                *error = QStringLiteral("%1:%2: %3").arg(endpoint.address.toString()).arg(port).arg(*error);
                closeAll();
                return false;
            }
            ::close(probe);
        }
        for (size_t w = 0; w < m_workers.size(); ++w) {
            const int fd = HttpListener::openSocket(endpoint.address, port, share, error);
            if (fd < 0) {
                *error = QStringLiteral("%1:%2: %3").arg(endpoint.address.toString()).arg(port).arg(*error);
                closeAll();
                return false;
            }
            if (port == 0)
                port = HttpListener::localPort(fd);
            fds[w].push_back(fd);
        }
        m_ports.append(port);
    }
    for (size_t w = 0; w < m_workers.size(); ++w) {
        HttpWorker *worker = m_workers[w];
        for (qsizetype e = 0; e < endpoints.size(); ++e) {
            const int fd = fds[w][size_t(e)];
            const unsigned scope = endpoints[e].scope;
            QMetaObject::invokeMethod(worker, [worker, fd, scope] { worker->addListener(fd, scope); },
                                      Qt::BlockingQueuedConnection);
        }
    }
    return true;
}

void HttpServer::beginDrain()
{
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, [worker] { worker->beginDrain(); }, Qt::BlockingQueuedConnection);
}

int HttpServer::openConnections() const
{
    int total = 0;
    for (const HttpWorker *worker : m_workers)
        total += worker->connectionCount();
    return total;
}

void HttpServer::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    for (size_t i = 0; i < m_workers.size(); ++i) {
        HttpWorker *worker = m_workers[i];
        QMetaObject::invokeMethod(worker, [worker] {
            worker->shutdown();
            delete worker;
        }, Qt::BlockingQueuedConnection);
        m_threads[i]->quit();
        m_threads[i]->wait();
        delete m_threads[i];
    }
    m_workers.clear();
    m_threads.clear();
}

} // namespace gw
