#include "upstreamclient.h"

#include "upstreamcurlerror.h"

#include <QPointer>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>
#include <QVariant>

#include <curl/curl.h>

#include <chrono>
#include <mutex>

namespace gw {

namespace {

// Idle connections kept per thread. libcurl's default (four per running
// transfer) shrinks the cache as a burst ends and throws away exactly the
// warm connections the next burst wants.
constexpr long kIdleConnections = 256;

constexpr char kContextProperty[] = "_gw_upstreamClient";

} // namespace

struct UpstreamClient::SocketWatch
{
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

class UpstreamClient::CurlScope
{
public:
    explicit CurlScope(UpstreamClient *client)
        : m_client(client)
    {
        ++m_client->m_curlDepth;
    }
    ~CurlScope()
    {
        if (--m_client->m_curlDepth == 0)
            m_client->afterCurl();
    }
    CurlScope(const CurlScope &) = delete;
    CurlScope &operator=(const CurlScope &) = delete;

private:
    UpstreamClient *m_client;
};

void UpstreamClient::initGlobal()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            qFatal("libcurl could not be initialised");
    });
}

UpstreamClient::UpstreamClient(QObject *parent)
    : QObject(parent)
{
    initGlobal();
    m_multi = curl_multi_init();
    if (!m_multi)
        qFatal("libcurl: no multi handle (out of memory)");
    CURLM *multi = m_multi;
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &UpstreamClient::onCurlSocket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, static_cast<void *>(this));
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &UpstreamClient::onCurlTimer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, static_cast<void *>(this));
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    // No cap in total or per host: a provider is one host, and its calls
    // are long; a per-host queue would add their durations up.
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, kIdleConnections);

    m_curlTimer.setSingleShot(true);
    // libcurl's own deadlines (connect and total timeouts, retries) are
    // meant to the millisecond.
    m_curlTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_curlTimer, &QTimer::timeout, this, &UpstreamClient::onCurlTimeout);
}

UpstreamClient::~UpstreamClient()
{
    m_destroying = true;
    m_curlTimer.stop();
    std::vector<std::shared_ptr<UpstreamCall>> calls;
    calls.reserve(m_calls.size());
    for (auto &entry : m_calls)
        calls.push_back(entry.second);
    calls.insert(calls.end(), m_refused.begin(), m_refused.end());
    m_calls.clear();
    m_pendingAdds.clear();
    m_pendingRemovals.clear();
    m_refused.clear();
    for (const std::shared_ptr<UpstreamCall> &call : calls) {
        call->m_cancelled = true;
        if (call->m_added)
            curl_multi_remove_handle(m_multi, call->easy());
        call->m_added = false;
        call->releaseEasy();
        call->detach();
    }
    m_activeCalls = 0;
    curl_multi_cleanup(m_multi);
    m_multi = nullptr;
    // The notifiers are children and go with this object.
    m_sockets.clear();
}

UpstreamClient *UpstreamClient::forContext(QObject *context)
{
    Q_ASSERT(context);
    Q_ASSERT(context->thread() == QThread::currentThread());
    // A guarded pointer: the property outlives the client when someone
    // deletes the client before its context.
    const QPointer<UpstreamClient> existing = context->property(kContextProperty).value<QPointer<UpstreamClient>>();
    if (existing)
        return existing.data();
    auto *client = new UpstreamClient(context);
    context->setProperty(kContextProperty, QVariant::fromValue(QPointer<UpstreamClient>(client)));
    return client;
}

std::shared_ptr<UpstreamCall> UpstreamClient::start(UpstreamRequest request, Callbacks callbacks)
{
    Q_ASSERT(QThread::currentThread() == thread());
    std::shared_ptr<UpstreamCall> call(new UpstreamCall(this, std::move(request), std::move(callbacks)));
    if (m_destroying) {
        // From a destructor run by our own teardown (a caller's state
        // released with its callbacks): there is no loop left to run it on.
        call->m_cancelled = true;
        call->m_client = nullptr;
        return call;
    }
    ++m_activeCalls;
    QString error;
    if (!call->prepare(&error)) {
        call->releaseEasy();
        fail(call, error);
        return call;
    }
    m_calls.emplace(call->easy(), call);
    if (insideCurl())
        m_pendingAdds.push_back(call);
    else
        addToMulti(call);
    return call;
}

void UpstreamClient::addToMulti(const std::shared_ptr<UpstreamCall> &call)
{
    const CURLMcode code = curl_multi_add_handle(m_multi, call->easy());
    if (code != CURLM_OK) {
        m_calls.erase(call->easy());
        call->releaseEasy();
        fail(call, QStringLiteral("the call could not start: ") + QString::fromUtf8(curl_multi_strerror(code)));
        return;
    }
    call->m_added = true;
}

// Refusals end through the event loop, so that onDone never runs inside
// start() where the caller is still setting up.
void UpstreamClient::fail(const std::shared_ptr<UpstreamCall> &call, const QString &message)
{
    m_refused.push_back(call);
    QMetaObject::invokeMethod(
        this,
        [this, call, message] {
            std::erase(m_refused, call);
            if (call->m_cancelled || call->m_finished || !call->m_client)
                return;
            call->m_finished = true;
            --m_activeCalls;
            const UpstreamResult result = call->buildResult(0, UpstreamFailure::Other, message);
            if (call->m_callbacks.onDone)
                call->dispatch([&] { call->m_callbacks.onDone(result); });
            call->detach();
        },
        Qt::QueuedConnection);
}

std::shared_ptr<UpstreamCall> UpstreamClient::takeCall(UpstreamCall *call)
{
    std::shared_ptr<UpstreamCall> keep;
    if (void *easy = call->easy()) {
        const auto it = m_calls.find(easy);
        if (it != m_calls.end()) {
            keep = std::move(it->second);
            m_calls.erase(it);
        }
        if (call->m_added) {
            // Removing an unfinished transfer makes libcurl close its
            // HTTP/1.1 connection (or reset the HTTP/2 stream): the
            // upstream sees the client go and stops generating.
            curl_multi_remove_handle(m_multi, easy);
            call->m_added = false;
        }
    }
    std::erase_if(m_pendingAdds, [call](const std::shared_ptr<UpstreamCall> &pending) { return pending.get() == call; });
    return keep;
}

void UpstreamClient::finishCall(UpstreamCall *call, int curlCode, UpstreamFailure failure, const QString &message)
{
    const bool deliver = !call->m_cancelled && !call->m_finished;
    UpstreamResult result;
    if (deliver) {
        call->m_finished = true;
        --m_activeCalls;
        result = call->buildResult(curlCode, failure, message);
    }
    const std::shared_ptr<UpstreamCall> keep = takeCall(call);
    call->releaseEasy();
    stopCallTimer(call);
    if (deliver && call->m_callbacks.onDone)
        call->dispatch([&] { call->m_callbacks.onDone(result); });
    call->detach();
}

void UpstreamClient::processFinished()
{
    int left = 0;
    while (CURLMsg *message = curl_multi_info_read(m_multi, &left)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        void *easy = message->easy_handle;
        const CURLcode code = message->data.result;
        const auto it = m_calls.find(easy);
        if (it == m_calls.end()) {
            // Every handle in the multi handle is in the table; should one
            // not be, it must not report again.
            curl_multi_remove_handle(m_multi, easy);
            continue;
        }
        UpstreamCall *call = it->second.get();
        if (call->m_cancelled) {
            finishCall(call, code, UpstreamFailure::Cancelled, QString());
            continue;
        }
        UpstreamFailure failure = upstreamFailureForCurl(code, call->m_head.started());
        QString text;
        if (code == CURLE_OK && !call->m_head.complete()) {
            failure = UpstreamFailure::Protocol;
            text = QStringLiteral("broken response: no complete HTTP response head");
        } else if (failure == UpstreamFailure::Timeout) {
            text = call->curlTimeoutMessage();
        } else if (failure == UpstreamFailure::Connect) {
            text = QStringLiteral("connection failed: ") + call->curlMessage(code);
        } else if (failure == UpstreamFailure::Protocol) {
            text = QStringLiteral("broken response: ") + call->curlMessage(code);
        } else if (failure == UpstreamFailure::Other) {
            text = QStringLiteral("request failed: ") + call->curlMessage(code);
        }
        finishCall(call, code, failure, text);
    }
}

void UpstreamClient::afterCurl()
{
    if (m_inAfterCurl || m_destroying)
        return;
    m_inAfterCurl = true;
    do {
        processFinished();
        std::vector<std::shared_ptr<UpstreamCall>> removals;
        removals.swap(m_pendingRemovals);
        for (const std::shared_ptr<UpstreamCall> &call : removals) {
            if (!call->easy())
                continue; // its DONE message came first
            takeCall(call.get());
            call->releaseEasy();
            call->detach();
        }
        std::vector<std::shared_ptr<UpstreamCall>> adds;
        adds.swap(m_pendingAdds);
        for (const std::shared_ptr<UpstreamCall> &call : adds) {
            if (!call->m_cancelled && call->easy())
                addToMulti(call);
        }
    } while (!m_pendingRemovals.empty() || !m_pendingAdds.empty());
    m_inAfterCurl = false;
}

void UpstreamClient::cancelCall(UpstreamCall *call)
{
    if (call->m_cancelled || call->m_finished)
        return;
    call->m_cancelled = true;
    --m_activeCalls;
    stopCallTimer(call);
    if (insideCurl() && call->m_added) {
        // libcurl may be inside this very transfer: it cannot leave the
        // multi handle now. Its callbacks refuse everything from here on,
        // and it leaves when libcurl returns.
        const auto it = m_calls.find(call->easy());
        if (it != m_calls.end())
            m_pendingRemovals.push_back(it->second);
        call->releaseCallbacks();
        return;
    }
    const std::shared_ptr<UpstreamCall> keep = takeCall(call);
    call->releaseEasy();
    call->detach();
    // A refused call waits in m_refused for its queued onDone, which now
    // finds it cancelled.
}

void UpstreamClient::pauseCall(UpstreamCall *call, bool pause)
{
    if (call->m_cancelled || call->m_finished || call->m_paused == pause)
        return;
    call->m_paused = pause;
    if (pause) {
        // The write callback answers CURL_WRITEFUNC_PAUSE to the next chunk,
        // which pauses the transfer inside libcurl. That also works before
        // a connection exists, when curl_easy_pause() would refuse.
        call->updateDeadline();
        return;
    }
    call->m_lastActivityNs = call->nowNs();
    if (call->m_phase == UpstreamCall::Phase::AwaitingFirstByte)
        call->m_sentAtNs = call->m_lastActivityNs;
    call->updateDeadline();
    const auto it = m_calls.find(call->easy());
    if (call->m_added && call->m_curlPaused && it != m_calls.end()) {
        call->m_curlPaused = false;
        // The write callback may cancel the call and drop the caller's handle.
        const std::shared_ptr<UpstreamCall> keep = it->second;
        {
            // Unpausing hands the held chunk to the write callback at once.
            CurlScope scope(this);
            curl_easy_pause(call->easy(), CURLPAUSE_CONT);
        }
        // A paused transfer left libcurl's socket watch; a timeout action
        // gets it looked at again.
        if (!m_destroying)
            m_curlTimer.start(0);
    }
}

void UpstreamClient::timeoutCall(UpstreamCall *call, const QString &message)
{
    Q_ASSERT(!insideCurl());
    finishCall(call, 0, UpstreamFailure::Timeout, message);
}

int UpstreamClient::startCallTimer(UpstreamCall *call, qint64 ms)
{
    const int id = startTimer(std::chrono::milliseconds(ms), Qt::CoarseTimer);
    if (id != 0)
        m_callTimers.insert(id, call);
    return id;
}

void UpstreamClient::stopCallTimer(UpstreamCall *call)
{
    if (call->m_timerId == 0)
        return;
    killTimer(call->m_timerId);
    m_callTimers.remove(call->m_timerId);
    call->m_timerId = 0;
}

void UpstreamClient::timerEvent(QTimerEvent *event)
{
    const auto it = m_callTimers.constFind(event->timerId());
    if (it == m_callTimers.constEnd()) {
        QObject::timerEvent(event);
        return;
    }
    it.value()->onDeadlineTimer();
}

int UpstreamClient::onCurlSocket(void *easy, int socket, int what, void *self, void *socketData)
{
    Q_UNUSED(easy)
    Q_UNUSED(socketData)
    static_cast<UpstreamClient *>(self)->watchSocket(socket, what);
    return 0;
}

int UpstreamClient::onCurlTimer(void *multi, long timeoutMs, void *self)
{
    Q_UNUSED(multi)
    auto *client = static_cast<UpstreamClient *>(self);
    if (client->m_destroying)
        return 0;
    // Never act from inside the callback (libcurl forbids it): a zero
    // timeout runs on the next pass of the event loop.
    if (timeoutMs < 0)
        client->m_curlTimer.stop();
    else
        client->m_curlTimer.start(std::chrono::milliseconds(timeoutMs));
    return 0;
}

void UpstreamClient::watchSocket(int socket, int what)
{
    if (m_destroying)
        return;
    if (what == CURL_POLL_REMOVE) {
        const auto it = m_sockets.find(socket);
        if (it == m_sockets.end())
            return;
        // Disabled at once (the descriptor may be closed and reused within
        // this same libcurl call), deleted later because one of them may be
        // the notifier whose signal is running.
        for (QSocketNotifier *notifier : {it->second->read, it->second->write}) {
            if (notifier) {
                notifier->setEnabled(false);
                notifier->deleteLater();
            }
        }
        m_sockets.erase(it);
        return;
    }
    std::unique_ptr<SocketWatch> &watch = m_sockets[socket];
    if (!watch)
        watch = std::make_unique<SocketWatch>();
    const bool wantRead = what == CURL_POLL_IN || what == CURL_POLL_INOUT;
    const bool wantWrite = what == CURL_POLL_OUT || what == CURL_POLL_INOUT;
    const auto update = [this, socket](QSocketNotifier *&notifier, QSocketNotifier::Type type, bool want) {
        if (notifier) {
            if (notifier->isEnabled() != want)
                notifier->setEnabled(want);
            return;
        }
        if (!want)
            return;
        notifier = new QSocketNotifier(socket, type, this);
        const int events = type == QSocketNotifier::Read ? CURL_CSELECT_IN : CURL_CSELECT_OUT;
        connect(notifier, &QSocketNotifier::activated, this,
                [this, socket, events] { socketAction(socket, events); });
    };
    update(watch->read, QSocketNotifier::Read, wantRead);
    update(watch->write, QSocketNotifier::Write, wantWrite);
}

void UpstreamClient::onCurlTimeout()
{
    socketAction(CURL_SOCKET_TIMEOUT, 0);
}

void UpstreamClient::socketAction(int socket, int events)
{
    if (m_destroying)
        return;
    CurlScope scope(this);
    int running = 0;
    curl_multi_socket_action(m_multi, socket, events, &running);
}

} // namespace gw
