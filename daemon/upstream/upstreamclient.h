#pragma once

#include "upstreamcall.h"
#include "upstreamcallbacks.h"
#include "upstreamrequest.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>
#include <unordered_map>
#include <vector>

namespace gw {

// The upstream HTTP client of one thread: libcurl's multi interface driven
// by that thread's Qt event loop (a socket notifier per socket and
// direction, one timer for libcurl's timeouts). Nothing in it blocks.
//
// One client per HTTP worker thread (forContext()), so connections to a
// provider are kept and reused across that thread's calls, with no limit per
// host, and HTTP/2 streams share a connection where the upstream offers
// HTTP/2 over TLS. Proxies come from http_proxy / https_proxy / no_proxy.
// Response bodies are passed through as received (no decompression).
//
// The client lives in, and must be used from, one thread. Do not delete it
// from inside one of its callbacks (use deleteLater()).
class UpstreamClient : public QObject
{
    Q_OBJECT

public:
    using Callbacks = UpstreamCallbacks;

    explicit UpstreamClient(QObject *parent = nullptr);
    // Stops every call; no callback runs.
    ~UpstreamClient() override;

    // Starts a call; the callbacks run later, on this thread, never from
    // inside start(). A request the client refuses ends with
    // UpstreamFailure::Other through onDone.
    std::shared_ptr<UpstreamCall> start(UpstreamRequest request, Callbacks callbacks);
    // Calls started and neither finished nor cancelled.
    int activeCalls() const { return m_activeCalls; }

    // The client of the thread whose worker object is `context`, created on
    // first use as a child of `context`, so it lives and dies on that
    // thread. Call it on that thread.
    static UpstreamClient *forContext(QObject *context);
    // libcurl's process-wide set-up; idempotent and thread-safe. The
    // constructor calls it; call it early in main() to keep it off the
    // threads' first request.
    static void initGlobal();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    friend class UpstreamCall;
    struct SocketWatch;
    // Counts the nesting of calls into libcurl that may run callbacks
    // (socket actions, unpausing). libcurl refuses multi-handle changes from
    // inside its callbacks, so those wait until the outermost call returns.
    class CurlScope;

    static int onCurlSocket(void *easy, int socket, int what, void *self, void *socketData);
    static int onCurlTimer(void *multi, long timeoutMs, void *self);

    void watchSocket(int socket, int what);
    void onCurlTimeout();
    void socketAction(int socket, int events);
    // Runs what had to wait for libcurl to return: finished transfers,
    // cancelled ones to take out, new ones to add.
    void afterCurl();
    void processFinished();
    void addToMulti(const std::shared_ptr<UpstreamCall> &call);
    // Takes the call out of the multi handle and the table (the returned
    // pointer keeps it alive while its onDone runs).
    std::shared_ptr<UpstreamCall> takeCall(UpstreamCall *call);
    void finishCall(UpstreamCall *call, int curlCode, UpstreamFailure failure, const QString &message);
    void fail(const std::shared_ptr<UpstreamCall> &call, const QString &message);

    // For UpstreamCall.
    bool insideCurl() const { return m_curlDepth > 0; }
    void cancelCall(UpstreamCall *call);
    void pauseCall(UpstreamCall *call, bool pause);
    void timeoutCall(UpstreamCall *call, const QString &message);
    int startCallTimer(UpstreamCall *call, qint64 ms);
    void stopCallTimer(UpstreamCall *call);

    void *m_multi = nullptr;
    std::unordered_map<void *, std::shared_ptr<UpstreamCall>> m_calls; // by easy handle
    std::vector<std::shared_ptr<UpstreamCall>> m_pendingAdds;
    std::vector<std::shared_ptr<UpstreamCall>> m_pendingRemovals;
    std::vector<std::shared_ptr<UpstreamCall>> m_refused; // onDone queued, see fail()
    std::unordered_map<int, std::unique_ptr<SocketWatch>> m_sockets;
    QHash<int, UpstreamCall *> m_callTimers; // QObject timer id -> call
    QTimer m_curlTimer;
    int m_activeCalls = 0;
    int m_curlDepth = 0;
    bool m_inAfterCurl = false;
    bool m_destroying = false;
};

} // namespace gw
