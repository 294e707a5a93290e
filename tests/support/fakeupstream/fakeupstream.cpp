#include "fakeupstream.h"

#include "fakeupstreamserver.h"
#include "fakeupstreamstate.h"

#include <QMutexLocker>
#include <QThread>

namespace gw::test {

FakeUpstream::FakeUpstream(QObject *parent)
    : QObject(parent)
    , m_state(std::make_shared<FakeUpstreamState>())
{
}

FakeUpstream::~FakeUpstream()
{
    stop();
}

bool FakeUpstream::start(quint16 port, const QHostAddress &address)
{
    return startServer(port, address, false);
}

bool FakeUpstream::startInThread(quint16 port, const QHostAddress &address)
{
    return startServer(port, address, true);
}

bool FakeUpstream::startServer(quint16 port, const QHostAddress &address, bool ownThread)
{
    QMutexLocker lock(&m_lifecycle);
    stop();
    m_server = new FakeUpstreamServer(m_state);
    // Queued across threads, so signals reach tests on this object's thread.
    connect(m_server, &FakeUpstreamServer::requestReceived, this, &FakeUpstream::requestReceived);
    connect(m_server, &FakeUpstreamServer::clientAborted, this, &FakeUpstream::clientAborted);
    if (ownThread) {
        m_thread = new QThread();
        m_thread->setObjectName(QStringLiteral("fake-upstream"));
        m_server->moveToThread(m_thread);
        // The documented way to delete an object on its own thread as that thread ends.
        connect(m_thread, &QThread::finished, m_server, &QObject::deleteLater);
        m_thread->start();
    }
    bool listening = false;
    QString error;
    runOnServerThread([&] {
        listening = m_server->listen(address, port);
        m_port = m_server->serverPort();
        error = m_server->errorString();
    });
    {
        QMutexLocker info(&m_infoMutex);
        m_errorString = error;
        m_address = address;
    }
    if (!listening) {
        stop();
        return false;
    }
    m_running = true;
    return true;
}

void FakeUpstream::stop()
{
    QMutexLocker lock(&m_lifecycle);
    if (!m_server)
        return;
    runOnServerThread([this] { m_server->shutdown(); });
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    } else {
        delete m_server;
    }
    m_server = nullptr;
    m_running = false;
    m_port = 0;
}

template<typename Function>
void FakeUpstream::runOnServerThread(Function function) const
{
    if (!m_server)
        return;
    if (m_server->thread() == QThread::currentThread())
        function();
    else
        QMetaObject::invokeMethod(m_server, function, Qt::BlockingQueuedConnection);
}

bool FakeUpstream::isRunning() const
{
    return m_running;
}

QString FakeUpstream::errorString() const
{
    QMutexLocker info(&m_infoMutex);
    return m_errorString;
}

quint16 FakeUpstream::port() const
{
    return m_port;
}

QString FakeUpstream::baseUrl() const
{
    QMutexLocker info(&m_infoMutex);
    const bool ipv6 = m_address.protocol() == QAbstractSocket::IPv6Protocol;
    const QString host = ipv6 ? QLatin1Char('[') + m_address.toString() + QLatin1Char(']') : m_address.toString();
    return QStringLiteral("http://") + host + QLatin1Char(':') + QString::number(m_port);
}

void FakeUpstream::enqueue(const FakeBehavior &behavior)
{
    m_state->enqueue(behavior);
}

int FakeUpstream::queuedBehaviors() const
{
    return m_state->queuedCount();
}

void FakeUpstream::setDefaultBehavior(const FakeBehavior &behavior)
{
    m_state->setDefaultBehavior(behavior);
}

FakeBehavior FakeUpstream::defaultBehavior() const
{
    return m_state->defaultBehavior();
}

void FakeUpstream::setRequiredApiKey(const QString &key)
{
    m_state->setRequiredApiKey(key);
}

QList<FakeRecordedRequest> FakeUpstream::requests() const
{
    return m_state->requests();
}

FakeRecordedRequest FakeUpstream::lastRequest() const
{
    const QList<FakeRecordedRequest> all = m_state->requests();
    return all.isEmpty() ? FakeRecordedRequest() : all.last();
}

int FakeUpstream::requestCount() const
{
    return m_state->requestCount();
}

void FakeUpstream::clearRequests()
{
    m_state->clearRequests();
}

void FakeUpstream::reset()
{
    QMutexLocker lock(&m_lifecycle);
    if (m_server)
        runOnServerThread([this] { m_server->reset(); });
    else
        m_state->reset();
}

int FakeUpstream::clientAborts() const
{
    return m_state->clientAborts();
}

int FakeUpstream::openConnections() const
{
    return m_state->openConnections();
}

} // namespace gw::test
