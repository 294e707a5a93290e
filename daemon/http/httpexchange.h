#pragma once

#include "apierror.h"
#include "apifamily.h"
#include "httprequest.h"
#include "httpresponse.h"
#include "httprouter.h"

#include <QPointer>

#include <functional>
#include <memory>

namespace gw {

class HttpConnection;

// One request and the means to answer it: what a route handler receives.
// A handler may answer at once or later; an exchange that is kept alive past
// the handler's return belongs to the connection's thread, and every call on
// it must be made there (post results from other threads to context()).
// When the client goes away first, writes become no-ops and the callbacks
// given to onClientGone() run once, so that upstream work can be cancelled.
class HttpExchange : public std::enable_shared_from_this<HttpExchange>
{
public:
    HttpExchange(HttpConnection *connection, HttpRequest request, const HttpRouter::Route *route,
                 HttpRouter::Params params, QObject *context);
    ~HttpExchange();
    HttpExchange(const HttpExchange &) = delete;
    HttpExchange &operator=(const HttpExchange &) = delete;

    const HttpRequest &request() const { return m_request; }
    HttpRequest &request() { return m_request; }
    const QByteArray &requestId() const { return m_request.requestId; }
    QByteArray param(QByteArrayView name) const;
    ApiFamily family() const;
    // The worker object of the connection's thread: the context to post to.
    QObject *context() const { return m_context; }

    // True while the client is connected and the response is not finished.
    bool isOpen() const;
    bool hasResponded() const { return m_state != State::Pending; }
    bool clientGone() const { return m_clientGone; }
    int status() const { return m_status; }
    qint64 bytesSent() const { return m_bodyBytesSent; }

    void respond(HttpResponse response);
    void respondError(const ApiError &error);

    // Streaming (chunked) output, e.g. server-sent events.
    void beginStream(int status, const QList<HttpResponse::Header> &headers);
    void write(const QByteArray &data);
    void endStream();

    // Bytes accepted for the client and not yet taken by its socket.
    qsizetype pendingOutputBytes() const;
    // Runs `callback` once when the pending output falls under the low-water mark.
    void onOutputDrained(std::function<void()> callback);
    void onClientGone(std::function<void()> callback);

    // Extra key=value pairs for the access log line (user, key id, model, ...).
    void addLogField(const QByteArray &key, const QByteArray &value);
    const QList<QPair<QByteArray, QByteArray>> &logFields() const { return m_logFields; }

private:
    friend class HttpConnection;
    enum class State { Pending, Streaming, Done };

    void notifyClientGone();
    void notifyDrained();

    QPointer<HttpConnection> m_connection;
    HttpRequest m_request;
    const HttpRouter::Route *m_route;
    HttpRouter::Params m_params;
    QObject *m_context;
    State m_state = State::Pending;
    int m_status = 0;
    qint64 m_bodyBytesSent = 0;
    bool m_clientGone = false;
    std::vector<std::function<void()>> m_goneCallbacks;
    std::function<void()> m_drainedCallback;
    QList<QPair<QByteArray, QByteArray>> m_logFields;
};

} // namespace gw
