#pragma once

#include "fakecontrolapi.h"
#include "fakeproviderhandler.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

class QTcpServer;

namespace gw::test {

class FakeHttpConnection;
class FakeUpstreamState;

// The listening side, living on the thread that serves: accepts connections,
// routes control requests, records provider requests, picks the behaviour
// and hands the reply to a FakeExchange.
//
// A small HTTP/1.1 server on QTcpServer rather than QAbstractHttpServer:
// QtHttpServer 6.4 is a technical preview that answers pipelined requests
// while one is pending, cannot close a socket mid-body or mid-stream on
// purpose, offers no close-delimited bodies and does not tell a handler that
// its client left, and those are exactly the faults this double exists for.
class FakeUpstreamServer : public QObject
{
    Q_OBJECT

public:
    explicit FakeUpstreamServer(std::shared_ptr<FakeUpstreamState> state, QObject *parent = nullptr);
    ~FakeUpstreamServer() override;

    // Call on the server's thread.
    bool listen(const QHostAddress &address, quint16 port);
    quint16 serverPort() const;
    QString errorString() const;
    // Closes connections whose request is still being answered (hanging,
    // delayed, streaming), without counting them as client aborts.
    void dropAnswering();
    // dropAnswering() and the state back to fresh.
    void reset();
    void shutdown();

Q_SIGNALS:
    void requestReceived();
    void clientAborted();

private:
    void onNewConnection();
    void onRequest(FakeHttpConnection *connection, const FakeRecordedRequest &request);
    static FakeReply buildReply(FakeProviderHandler &handler, const FakeRecordedRequest &request,
                                const FakeBehavior &behavior, const FakeReplyContext &context);
    FakeProviderHandler *handlerFor(const FakeRecordedRequest &request) const;
    // The handler whose error shape suits a request no handler routes.
    FakeProviderHandler *errorHandlerFor(const FakeRecordedRequest &request) const;

    std::shared_ptr<FakeUpstreamState> m_state;
    FakeControlApi m_control;
    QTcpServer *m_server;
    std::vector<std::unique_ptr<FakeProviderHandler>> m_handlers;
    // Shapes the 404 of a request no handler routes or recognizes (OpenAI's).
    FakeProviderHandler *m_fallback = nullptr;
    QList<QPointer<FakeHttpConnection>> m_connections;
    FakeHttpConnection *m_controlConnection = nullptr;
};

} // namespace gw::test
