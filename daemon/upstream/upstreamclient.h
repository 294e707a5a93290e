#pragma once

#include "upstreamcall.h"
#include "upstreamcallbacks.h"
#include "upstreamrequest.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <memory>
#include <unordered_map>
#include <vector>

namespace gw {

class IoReactor;

struct UpstreamEasy;

// The upstream HTTP client of one thread: libcurl's multi interface driven
// by that thread's Qt event loop (its sockets in one epoll set, IoReactor,
// one timer for libcurl's timeouts). Nothing in it blocks.
//
// One client per HTTP worker thread (forContext()), so connections to a
// provider are kept and reused across that thread's calls, with no limit per
// host, and HTTP/2 streams share a connection where the upstream offers
// HTTP/2 over TLS. Proxies come from http_proxy / https_proxy / all_proxy /
// no_proxy (and their upper-case forms, as libcurl reads them), read once,
// at the client's first call. Response bodies are passed through as
// received (no decompression).
//
// Per call it allocates little: easy handles (with their header lists) are
// kept for the next call, and one timer serves the first-byte and idle timeouts of every call.
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
    struct ProxySettings;
    // Counts the nesting of calls into libcurl that may run callbacks
    // (socket actions, unpausing). libcurl refuses multi-handle changes from
    // inside its callbacks, so those wait until the outermost call returns.
    class CurlScope;

    static int onCurlSocket(void *easy, int socket, int what, void *self, void *socketData);
    static int onCurlTimer(void *multi, long timeoutMs, void *self);

    void watchSocket(int socket, int what);
    void setCurlTimer(long timeoutMs);
    // Runs a timeout action soon, leaving libcurl's own deadline in place.
    void kickCurl();
    void startCurlTimer(qint64 dueNs, qint64 nowNs);
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
    // The deadline timer fires by `dueNs` (steady clock) at the latest.
    void armDeadline(qint64 dueNs);
    void onDeadlines();
    // An easy handle with the options every call shares; one kept from an
    // earlier call when there is one.
    std::unique_ptr<UpstreamEasy> acquireEasy();
    void recycleEasy(std::unique_ptr<UpstreamEasy> easy);
    // Keeps callbacks a call let go of until the event loop is back in
    // control (see UpstreamCall::releaseCallbacks()).
    void discardCallbacks(UpstreamCallbacks callbacks);
    void dropDiscardedCallbacks();
    // CURLOPT_PROXY for a call: the environment's proxy for the scheme, or
    // "" (none).
    const char *proxyFor(bool https);
    void loadProxySettings();
    // The CA bundle libcurl uses unless told otherwise (null: none built in),
    // to give a pooled handle back after a call with a channel's own.
    const char *defaultCaFile() const { return m_defaultCaFile.isEmpty() ? nullptr : m_defaultCaFile.constData(); }

    void *m_multi = nullptr;
    std::unordered_map<void *, std::shared_ptr<UpstreamCall>> m_calls; // by easy handle
    std::vector<std::shared_ptr<UpstreamCall>> m_pendingAdds;
    std::vector<std::shared_ptr<UpstreamCall>> m_pendingRemovals;
    std::vector<std::shared_ptr<UpstreamCall>> m_refused; // onDone queued, see fail()
    // By descriptor. A watch libcurl gave up stays (disabled) for the next
    // socket with the same number: libcurl drops a connection's socket after
    // every transfer and takes it back with the next one.
    IoReactor *m_reactor = nullptr; // a child: curl's sockets in one epoll set
    std::vector<std::unique_ptr<UpstreamEasy>> m_idleEasy;
    // Dropped when the thread's event dispatcher starts its next pass
    // (awake / aboutToBlock), without an event posted per call.
    std::vector<UpstreamCallbacks> m_discarded;
    bool m_loopHooked = false;
    std::unique_ptr<ProxySettings> m_proxy;
    QByteArray m_defaultCaFile;
    bool m_defaultCaKnown = false;
    // libcurl's timer: when libcurl asked to be called (-1: not at all) and
    // when m_curlTimer fires. A deadline that moves later leaves the timer
    // alone; it fires early, finds nothing due and re-arms.
    QTimer m_curlTimer;
    qint64 m_curlDueNs = -1;
    qint64 m_curlTimerNs = -1;
    bool m_curlKick = false;
    // The first-byte and idle timeouts of every call.
    QBasicTimer m_deadlineTimer;
    qint64 m_deadlineDueNs = -1;
    int m_activeCalls = 0;
    int m_curlDepth = 0;
    bool m_inAfterCurl = false;
    bool m_destroying = false;
};

} // namespace gw
