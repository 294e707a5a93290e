#include "fakeupstreamserver.h"

#include "fakeanthropichandler.h"
#include "fakeexchange.h"
#include "fakegeminihandler.h"
#include "fakehttpconnection.h"
#include "fakeopenaihandler.h"
#include "fakeupstreamstate.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace gw::test {

FakeUpstreamServer::FakeUpstreamServer(std::shared_ptr<FakeUpstreamState> state, QObject *parent)
    : QObject(parent)
    , m_state(std::move(state))
    , m_control(m_state, [this] { reset(); })
    , m_server(new QTcpServer(this))
{
    // Providers register here; more specific routes before broader ones.
    // Anthropic comes before OpenAI because both serve GET /v1/models and
    // only Anthropic's claims depend on the request's headers.
    m_handlers.push_back(std::make_unique<FakeAnthropicHandler>());
    m_handlers.push_back(std::make_unique<FakeGeminiHandler>());
    m_handlers.push_back(std::make_unique<FakeOpenAiHandler>());
    m_fallback = m_handlers.back().get();
    connect(m_server, &QTcpServer::newConnection, this, &FakeUpstreamServer::onNewConnection);
}

FakeUpstreamServer::~FakeUpstreamServer()
{
    shutdown();
}

bool FakeUpstreamServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

quint16 FakeUpstreamServer::serverPort() const
{
    return m_server->serverPort();
}

QString FakeUpstreamServer::errorString() const
{
    return m_server->errorString();
}

void FakeUpstreamServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new FakeHttpConnection(socket, this);
        m_connections.append(connection);
        m_state->connectionOpened();
        connect(connection, &FakeHttpConnection::requestReady, this,
                [this, connection](const FakeRecordedRequest &request) { onRequest(connection, request); });
        connect(connection, &FakeHttpConnection::clientGone, this, [this] {
            m_state->addClientAbort();
            Q_EMIT clientAborted();
        });
        connect(connection, &FakeHttpConnection::closed, this, [this, connection] {
            m_state->connectionClosed();
            m_connections.removeAll(connection);
        });
        connection->start();
    }
}

FakeProviderHandler *FakeUpstreamServer::handlerFor(const FakeRecordedRequest &request) const
{
    for (const auto &handler : m_handlers) {
        if (handler->handles(request))
            return handler.get();
    }
    return nullptr;
}

FakeProviderHandler *FakeUpstreamServer::errorHandlerFor(const FakeRecordedRequest &request) const
{
    for (const auto &handler : m_handlers) {
        if (handler->recognizes(request))
            return handler.get();
    }
    return m_fallback;
}

void FakeUpstreamServer::onRequest(FakeHttpConnection *connection, const FakeRecordedRequest &request)
{
    if (FakeControlApi::isControlPath(request.path)) {
        // A reset through the control API must not drop the connection asking for it.
        m_controlConnection = connection;
        const FakeReply reply = m_control.handle(request);
        m_controlConnection = nullptr;
        connection->sendResponse(reply.status, reply.headers, reply.body);
        return;
    }

    m_state->record(request);
    Q_EMIT requestReceived();
    FakeReplyContext context;
    context.sequence = m_state->nextSequence();

    FakeBehavior behavior;
    FakeReply reply;
    FakeProviderHandler *handler = handlerFor(request);
    FakeProviderHandler *shaper = handler ? handler : errorHandlerFor(request);
    if (!handler) {
        reply = shaper->errorReply(404,
                                   QStringLiteral("fake-upstream: no route for ") + QString::fromLatin1(request.method)
                                       + QLatin1Char(' ') + request.path,
                                   QString(), QString());
    } else if (std::optional<FakeReply> denied = handler->checkAuth(request, m_state->requiredApiKey())) {
        reply = *denied;
    } else {
        const QString model = handler->requestedModel(request);
        m_state->noteModel(handler->name(), model);
        QString specError;
        std::optional<FakeBehavior> chosen = m_state->takeQueued(request.path);
        if (!chosen)
            chosen = FakeBehavior::fromModelSpec(model, &specError);
        if (!specError.isEmpty()) {
            reply = handler->errorReply(400, specError, QString(), QString());
        } else {
            behavior = chosen ? *chosen : m_state->defaultBehavior();
            context.seenModels = m_state->seenModels(handler->name());
            reply = buildReply(*handler, request, behavior, context);
        }
    }

    // The gateway logs the upstream's own id, so every reply carries one.
    for (const auto &[name, value] : shaper->replyHeaders(context))
        setFakeHeader(reply.headers, name, value);
    setFakeHeader(reply.headers, QByteArrayLiteral("x-request-id"),
                  QByteArrayLiteral("fake-req-") + QByteArray::number(context.sequence));
    if (!behavior.retryAfter.isEmpty())
        setFakeHeader(reply.headers, QByteArrayLiteral("Retry-After"), behavior.retryAfter.toUtf8());
    for (const auto &[name, value] : std::as_const(behavior.headers))
        setFakeHeader(reply.headers, name, value);

    auto *exchange = new FakeExchange(connection, std::move(reply), behavior);
    exchange->start();
}

FakeReply FakeUpstreamServer::buildReply(FakeProviderHandler &handler, const FakeRecordedRequest &request,
                                         const FakeBehavior &behavior, const FakeReplyContext &context)
{
    FakeReply reply;
    if (behavior.body) {
        reply.status = behavior.status;
        reply.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        reply.body = *behavior.body;
        return reply;
    }
    if (behavior.status >= 400) {
        reply = handler.behaviorError(behavior);
    } else {
        reply = handler.reply(request, behavior, context);
        // A 2xx/3xx other than 200 keeps the normal body; handler errors keep their own status.
        if (reply.status == 200)
            reply.status = behavior.status;
    }
    if (behavior.malformedBody)
        reply.makeMalformed();
    return reply;
}

void FakeUpstreamServer::dropAnswering()
{
    const QList<QPointer<FakeHttpConnection>> connections = m_connections;
    for (const QPointer<FakeHttpConnection> &connection : connections) {
        if (connection && connection->isAnswering() && connection != m_controlConnection)
            connection->closeNow();
    }
}

void FakeUpstreamServer::reset()
{
    dropAnswering();
    m_state->reset();
}

void FakeUpstreamServer::shutdown()
{
    m_server->close();
    const QList<QPointer<FakeHttpConnection>> connections = m_connections;
    for (const QPointer<FakeHttpConnection> &connection : connections) {
        if (connection)
            connection->closeNow();
    }
}

} // namespace gw::test
