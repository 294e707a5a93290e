#include "upstreamclient.h"

#include "io/ioreactor.h"

#include "upstreamcurlerror.h"
#include "upstreameasy.h"

#include <QAbstractEventDispatcher>
#include <QPointer>
#include <QThread>
#include <QTimerEvent>
#include <QVariant>

#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <limits>
#include <mutex>

namespace gw {

namespace {

// Idle connections kept per thread. libcurl's default (four per running
// transfer) shrinks the cache as a burst ends and throws away exactly the
// warm connections the next burst wants.
constexpr long kIdleConnections = 256;

// Easy handles kept for later calls, and socket watches kept for later
// sockets. Beyond these, what a burst needed goes when it is over.
constexpr size_t kIdleEasyHandles = 64;

constexpr char kContextProperty[] = "_gw_upstreamClient";

int timerMs(qint64 ns)
{
    return int(qBound(qint64(0), (ns + 999999) / 1000000, qint64(std::numeric_limits<int>::max())));
}

// An environment variable as libcurl reads one: unset and empty are alike.
bool readEnvironment(const char *name, QByteArray *value)
{
    const char *v = std::getenv(name);
    if (!v || !*v)
        return false;
    *value = QByteArray(v);
    return true;
}

} // namespace

struct UpstreamClient::ProxySettings
{
    QByteArray http;
    QByteArray https;
    QByteArray noProxy;
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

    m_reactor = new IoReactor(this);
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
    m_deadlineTimer.stop();
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
    m_idleEasy.clear();
    // What they hold may call back into this client, which refuses it now.
    while (!m_discarded.empty()) {
        std::vector<UpstreamCallbacks> discarded;
        discarded.swap(m_discarded);
    }
    curl_multi_cleanup(m_multi);
    m_multi = nullptr;
    // The reactor is a child and goes with this object.
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
    call->m_timerDueNs = -1;
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
    call->m_timerDueNs = -1;
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
        kickCurl();
    }
}

void UpstreamClient::timeoutCall(UpstreamCall *call, const QString &message)
{
    Q_ASSERT(!insideCurl());
    finishCall(call, 0, UpstreamFailure::Timeout, message);
}

void UpstreamClient::armDeadline(qint64 dueNs)
{
    if (m_destroying || (m_deadlineTimer.isActive() && m_deadlineDueNs <= dueNs))
        return;
    m_deadlineDueNs = dueNs;
    m_deadlineTimer.start(timerMs(dueNs - upstreamSteadyNs()), Qt::CoarseTimer, this);
}

// One timer for the first-byte and idle timeouts of every call, due at the
// earliest deadline it was asked for. Deadlines that moved later meanwhile
// are not due yet; the timer is re-armed for the earliest of them.
void UpstreamClient::onDeadlines()
{
    m_deadlineTimer.stop();
    m_deadlineDueNs = -1;
    const qint64 now = upstreamSteadyNs();
    std::vector<std::shared_ptr<UpstreamCall>> due;
    qint64 next = -1;
    for (const auto &entry : m_calls) {
        UpstreamCall *call = entry.second.get();
        const qint64 deadline = call->deadlineNs();
        if (deadline < 0) {
            call->m_timerDueNs = -1;
            continue;
        }
        if (now >= call->m_startNs + deadline) {
            due.push_back(entry.second);
            continue;
        }
        call->m_timerDueNs = deadline;
        next = next < 0 ? call->m_startNs + deadline : qMin(next, call->m_startNs + deadline);
    }
    if (next >= 0)
        armDeadline(next);
    for (const std::shared_ptr<UpstreamCall> &call : due) {
        // An earlier timeout's onDone may have ended, paused or resumed it.
        if (!call->m_client || call->m_cancelled || call->m_finished)
            continue;
        const qint64 deadline = call->deadlineNs();
        if (deadline >= 0 && call->nowNs() >= deadline) {
            timeoutCall(call.get(), call->timeoutMessage());
        } else {
            call->m_timerDueNs = -1;
            call->updateDeadline();
        }
    }
}

void UpstreamClient::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_deadlineTimer.timerId()) {
        onDeadlines();
        return;
    }
    QObject::timerEvent(event);
}

void UpstreamClient::discardCallbacks(UpstreamCallbacks callbacks)
{
    if (m_destroying)
        return; // dropped here: there is no loop left to wait for
    if (!m_loopHooked) {
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(thread());
        if (dispatcher && thread() == QThread::currentThread()) {
            connect(dispatcher, &QAbstractEventDispatcher::awake, this, &UpstreamClient::dropDiscardedCallbacks);
            connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &UpstreamClient::dropDiscardedCallbacks);
            m_loopHooked = true;
        }
    }
    if (!m_loopHooked) {
        QMetaObject::invokeMethod(this, [dead = std::move(callbacks)] { Q_UNUSED(dead) }, Qt::QueuedConnection);
        return;
    }
    m_discarded.push_back(std::move(callbacks));
}

void UpstreamClient::dropDiscardedCallbacks()
{
    while (!m_discarded.empty()) {
        std::vector<UpstreamCallbacks> discarded;
        discarded.swap(m_discarded);
        // Destructors may discard more; those go round again.
        discarded.clear();
        if (m_discarded.empty())
            m_discarded.swap(discarded); // keeps the memory for the next pass
    }
}

std::unique_ptr<UpstreamEasy> UpstreamClient::acquireEasy()
{
    if (!m_idleEasy.empty()) {
        std::unique_ptr<UpstreamEasy> easy = std::move(m_idleEasy.back());
        m_idleEasy.pop_back();
        return easy;
    }
    auto easy = std::make_unique<UpstreamEasy>();
    easy->curl = curl_easy_init();
    if (!easy->curl)
        return nullptr;
    if (!m_proxy)
        loadProxySettings();
    if (!m_defaultCaKnown) {
        m_defaultCaKnown = true;
#if LIBCURL_VERSION_NUM >= 0x075400 // CURLINFO_CAINFO came with 7.84
        char *path = nullptr;
        if (curl_easy_getinfo(easy->curl, CURLINFO_CAINFO, &path) == CURLE_OK && path)
            m_defaultCaFile = QByteArray(path);
#endif
    }
    UpstreamCall::configureEasy(easy->curl, m_proxy->noProxy.constData());
    return easy;
}

void UpstreamClient::recycleEasy(std::unique_ptr<UpstreamEasy> easy)
{
    if (m_destroying || !easy || !easy->curl || m_idleEasy.size() >= kIdleEasyHandles)
        return; // freed with `easy`
    // The call's error buffer goes with the call; nothing may write to it
    // while the handle waits.
    curl_easy_setopt(easy->curl, CURLOPT_ERRORBUFFER, static_cast<char *>(nullptr));
    m_idleEasy.push_back(std::move(easy));
}

// What libcurl would find in the environment on every transfer (url.c,
// detect_proxy() and the no_proxy lookup): <scheme>_proxy, the upper-case
// form except for HTTP_PROXY, then all_proxy and ALL_PROXY; no_proxy or
// NO_PROXY. Set explicitly, the same values spare libcurl the look-ups.
void UpstreamClient::loadProxySettings()
{
    m_proxy = std::make_unique<ProxySettings>();
    QByteArray all;
    if (!readEnvironment("all_proxy", &all))
        readEnvironment("ALL_PROXY", &all);
    if (!readEnvironment("http_proxy", &m_proxy->http))
        m_proxy->http = all;
    if (!readEnvironment("https_proxy", &m_proxy->https) && !readEnvironment("HTTPS_PROXY", &m_proxy->https))
        m_proxy->https = all;
    if (!readEnvironment("no_proxy", &m_proxy->noProxy))
        readEnvironment("NO_PROXY", &m_proxy->noProxy);
}

const char *UpstreamClient::proxyFor(bool https)
{
    if (!m_proxy)
        loadProxySettings();
    return (https ? m_proxy->https : m_proxy->http).constData();
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
    // Never act from inside the callback (libcurl forbids it): a zero
    // timeout runs on the next pass of the event loop.
    static_cast<UpstreamClient *>(self)->setCurlTimer(timeoutMs);
    return 0;
}

// libcurl calls this whenever its earliest deadline changes, often several
// times per transfer. The timer is only restarted when it would fire too
// late: a deadline that moved later (or went away) is found not due when
// the timer fires, and the timer is re-armed then. libcurl does not repeat
// an unchanged deadline, so the one it gave is kept until it is due.
void UpstreamClient::setCurlTimer(long timeoutMs)
{
    if (m_destroying)
        return;
    if (timeoutMs < 0) {
        m_curlDueNs = -1;
        return;
    }
    const qint64 now = upstreamSteadyNs();
    m_curlDueNs = now + qint64(timeoutMs) * 1000000;
    if (m_curlTimer.isActive() && m_curlTimerNs <= m_curlDueNs)
        return;
    startCurlTimer(m_curlDueNs, now);
}

void UpstreamClient::kickCurl()
{
    if (m_destroying)
        return;
    m_curlKick = true;
    const qint64 now = upstreamSteadyNs();
    if (!m_curlTimer.isActive() || m_curlTimerNs > now)
        startCurlTimer(now, now);
}

void UpstreamClient::startCurlTimer(qint64 dueNs, qint64 nowNs)
{
    m_curlTimerNs = dueNs;
    m_curlTimer.start(timerMs(dueNs - nowNs));
}

void UpstreamClient::onCurlTimeout()
{
    if (m_destroying)
        return;
    const bool due = m_curlDueNs >= 0 && upstreamSteadyNs() >= m_curlDueNs;
    if (due || m_curlKick) {
        m_curlKick = false;
        if (due)
            m_curlDueNs = -1;
        socketAction(CURL_SOCKET_TIMEOUT, 0);
    }
    if (m_curlDueNs >= 0 && !m_curlTimer.isActive() && !m_destroying)
        startCurlTimer(m_curlDueNs, upstreamSteadyNs());
}

void UpstreamClient::watchSocket(int socket, int what)
{
    if (m_destroying)
        return;
    if (what == CURL_POLL_REMOVE) {
        m_reactor->unwatch(socket);
        return;
    }
    const uint32_t interest = (what == CURL_POLL_IN || what == CURL_POLL_INOUT ? IoReactor::Read : IoReactor::None)
                              | (what == CURL_POLL_OUT || what == CURL_POLL_INOUT ? IoReactor::Write : IoReactor::None);
    if (m_reactor->isWatched(socket)) {
        m_reactor->setInterest(socket, interest);
        return;
    }
    m_reactor->watch(socket, interest, [this, socket](uint32_t ready) {
        socketAction(socket, ((ready & IoReactor::Read) ? CURL_CSELECT_IN : 0) | ((ready & IoReactor::Write) ? CURL_CSELECT_OUT : 0));
    });
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
