#include "httpexchange.h"

#include "httpconnection.h"

namespace gw {

HttpExchange::HttpExchange(HttpConnection *connection, HttpRequest request, const HttpRouter::Route *route,
                           HttpRouter::Params params, QObject *context)
    : m_connection(connection)
    , m_request(std::move(request))
    , m_route(route)
    , m_params(std::move(params))
    , m_context(context)
{
}

HttpExchange::~HttpExchange()
{
    // A handler that dropped its exchange without answering would leave the
    // client waiting forever; answer for it. Reaching this is a bug.
    if (m_state == State::Pending && m_connection) {
        ApiError e;
        e.status = 500;
        e.message = QStringLiteral("the request was dropped without an answer");
        e.code = QStringLiteral("internal_error");
        respondError(e);
    } else if (m_state == State::Streaming && m_connection) {
        endStream();
    }
}

QByteArray HttpExchange::param(QByteArrayView name) const
{
    for (const auto &p : m_params) {
        if (p.first == name)
            return p.second;
    }
    return {};
}

ApiFamily HttpExchange::family() const
{
    return m_route ? m_route->family : apiFamilyForPath(m_request.path);
}

bool HttpExchange::isOpen() const
{
    return m_connection && !m_clientGone && m_state != State::Done;
}

void HttpExchange::respond(HttpResponse response)
{
    if (m_state != State::Pending)
        return;
    m_state = State::Done;
    m_status = response.status;
    m_bodyBytesSent = response.body.size();
    if (m_connection && !m_clientGone)
        m_connection->sendResponse(this, std::move(response));
}

void HttpExchange::respondError(const ApiError &error)
{
    respond(error.toResponse(family()));
}

void HttpExchange::beginStream(int status, const QList<HttpResponse::Header> &headers)
{
    if (m_state != State::Pending)
        return;
    m_state = State::Streaming;
    m_status = status;
    if (m_connection && !m_clientGone)
        m_connection->beginStream(this, status, headers);
}

void HttpExchange::write(const QByteArray &data)
{
    if (m_state != State::Streaming || data.isEmpty())
        return;
    m_bodyBytesSent += data.size();
    if (m_connection && !m_clientGone)
        m_connection->writeStreamChunk(this, data);
}

void HttpExchange::endStream()
{
    if (m_state != State::Streaming)
        return;
    m_state = State::Done;
    if (m_connection && !m_clientGone)
        m_connection->endStream(this);
}

qsizetype HttpExchange::pendingOutputBytes() const
{
    return m_connection ? m_connection->pendingOutputBytes() : 0;
}

void HttpExchange::onOutputDrained(std::function<void()> callback)
{
    m_drainedCallback = std::move(callback);
    if (m_connection)
        m_connection->watchDrain();
}

void HttpExchange::onClientGone(std::function<void()> callback)
{
    if (m_clientGone) {
        callback();
        return;
    }
    m_goneCallbacks.push_back(std::move(callback));
}

void HttpExchange::addLogField(const QByteArray &key, const QByteArray &value)
{
    m_logFields.append({key, value});
}

void HttpExchange::notifyClientGone()
{
    if (m_clientGone)
        return;
    m_clientGone = true;
    auto callbacks = std::move(m_goneCallbacks);
    m_goneCallbacks.clear();
    for (auto &cb : callbacks)
        cb();
}

void HttpExchange::notifyDrained()
{
    if (auto cb = std::move(m_drainedCallback)) {
        m_drainedCallback = nullptr;
        cb();
    }
}

} // namespace gw
