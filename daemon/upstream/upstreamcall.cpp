#include "upstreamcall.h"

#include "upstreamclient.h"
#include "upstreameasy.h"

#include <QStringBuilder>
#include <QVarLengthArray>

#include <curl/curl.h>

#include <algorithm>

namespace gw {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(const QByteArray &text)
{
    return !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), isTokenChar);
}

bool isSafeValue(const QByteArray &value)
{
    return std::none_of(value.cbegin(), value.cend(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

bool isSafeUrl(const QByteArray &url)
{
    return std::none_of(url.cbegin(), url.cend(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7f;
    });
}

// Connection and framing headers describe the hop to the upstream, which
// this client and libcurl own; passed through they could contradict the
// framing libcurl sends (a wrong Content-Length) or ask for 100-continue.
bool isHopHeader(QByteArrayView name)
{
    static constexpr QByteArrayView names[] = {"content-length", "transfer-encoding", "connection", "keep-alive",
                                               "proxy-connection", "te", "upgrade", "expect"};
    return std::any_of(std::begin(names), std::end(names), [&](QByteArrayView hop) {
        return hop.size() == name.size() && name.compare(hop, Qt::CaseInsensitive) == 0;
    });
}

QByteArray formatAddress(const char *ip, long port)
{
    if (!ip || !*ip)
        return {};
    const QByteArrayView host(ip);
    const bool v6 = host.contains(':');
    QByteArray out;
    out.reserve(host.size() + 10);
    if (v6)
        out += '[';
    out += host;
    if (v6)
        out += ']';
    if (port > 0) {
        out += ':';
        out += QByteArray::number(qint64(port));
    }
    return out;
}

int httpVersionNumber(long curlVersion)
{
    switch (curlVersion) {
    case CURL_HTTP_VERSION_1_0: return 10;
    case CURL_HTTP_VERSION_1_1: return 11;
    case CURL_HTTP_VERSION_2_0: return 2;
    case CURL_HTTP_VERSION_3: return 3;
    default: return 0;
    }
}

} // namespace

UpstreamCall::UpstreamCall(UpstreamClient *client, UpstreamRequest request, UpstreamCallbacks callbacks)
    : m_client(client)
    , m_request(std::move(request))
    , m_callbacks(std::move(callbacks))
{
    static_assert(sizeof(m_errorBuffer) >= CURL_ERROR_SIZE);
    m_startNs = upstreamSteadyNs();
}

UpstreamCall::~UpstreamCall()
{
    releaseEasy();
}

void UpstreamCall::cancel()
{
    if (m_client)
        m_client->cancelCall(this);
}

void UpstreamCall::pauseReceiving()
{
    if (m_client)
        m_client->pauseCall(this, true);
}

void UpstreamCall::resumeReceiving()
{
    if (m_client)
        m_client->pauseCall(this, false);
}

bool UpstreamCall::isActive() const
{
    return m_client && !m_cancelled && !m_finished;
}

bool UpstreamCall::prepare(QString *error)
{
    const QByteArray &method = m_request.method;
    if (!isToken(method)) {
        *error = QStringLiteral("invalid request method");
        return false;
    }
    const QByteArrayView url(m_request.url);
    const bool https = url.size() >= 8 && url.first(8).compare("https://", Qt::CaseInsensitive) == 0;
    if (!https && !(url.size() >= 7 && url.first(7).compare("http://", Qt::CaseInsensitive) == 0)) {
        *error = QStringLiteral("the upstream URL is not an absolute http:// or https:// URL");
        return false;
    }
    if (!isSafeUrl(m_request.url)) {
        *error = QStringLiteral("the upstream URL contains spaces or control characters");
        return false;
    }

    std::unique_ptr<UpstreamEasy> handle = m_client->acquireEasy();
    if (!handle) {
        *error = QStringLiteral("out of memory");
        return false;
    }
    UpstreamEasy &e = *handle;
    m_easy = std::move(handle);

    // The header lines go into the handle's own buffer, NUL-terminated, and
    // the list nodes are pointed at them once the buffer stops growing.
    std::vector<char> &text = e.headerText;
    std::vector<curl_slist> &nodes = e.headerNodes;
    text.clear();
    QVarLengthArray<size_t, 16> lineStarts;
    // "Name: value"; without a value "Name" and `bare` (';' sends the
    // header empty, ':' removes one libcurl would add).
    const auto addLine = [&](QByteArrayView name, QByteArrayView value, char bare) {
        lineStarts.append(text.size());
        text.insert(text.end(), name.begin(), name.end());
        if (value.isEmpty()) {
            text.push_back(bare);
        } else {
            text.push_back(':');
            text.push_back(' ');
            text.insert(text.end(), value.begin(), value.end());
        }
        text.push_back('\0');
    };
    bool hasContentType = false;
    for (const auto &[name, value] : std::as_const(m_request.headers)) {
        if (!isToken(name) || !isSafeValue(value)) {
            // The name is safe to show once it is a token; a broken one is not shown at all.
            *error = isToken(name) ? QStringLiteral("invalid value of request header ") + QString::fromLatin1(name)
                                   : QStringLiteral("invalid request header name");
            return false;
        }
        if (isHopHeader(name))
            continue;
        if (name.size() == 12 && name.compare("content-type", Qt::CaseInsensitive) == 0)
            hasContentType = true;
        // "Name;" is libcurl's way to send a header with an empty value ("Name:" would remove it).
        addLine(name, value, ';');
    }
    // An empty "Name:" removes what libcurl would add on its own: waiting for
    // 100-continue costs a round trip (or a second when the upstream ignores
    // it), and a POST without a type would claim to be a form.
    addLine("Expect", {}, ':');
    if (!hasContentType)
        addLine("Content-Type", {}, ':');
    nodes.resize(size_t(lineStarts.size()));
    for (size_t i = 0; i < nodes.size(); ++i) {
        nodes[i].data = text.data() + lineStarts[qsizetype(i)];
        nodes[i].next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
    }

    // Every option that can differ between calls is set on every call: the
    // handle may come from the pool with the previous call's values.
    CURL *easy = e.curl;
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, m_errorBuffer.data());
    curl_easy_setopt(easy, CURLOPT_URL, m_request.url.constData());
    const char *proxy = m_client->proxyFor(https);
    if (e.proxy != proxy) {
        curl_easy_setopt(easy, CURLOPT_PROXY, proxy);
        e.proxy = proxy;
    }
    if (e.caFile != m_request.caFile) {
        // libcurl copies the string; its default is the path it was built
        // with (Debian: the system bundle), which a pooled handle gets back.
        curl_easy_setopt(easy, CURLOPT_CAINFO,
                         m_request.caFile.isEmpty() ? m_client->defaultCaFile() : m_request.caFile.constData());
        e.caFile = m_request.caFile;
    }
    // A burst of calls to a new host waits for the first handshake to
    // learn whether HTTP/2 can carry them all, instead of opening one
    // connection each. Over plain http:// there is no HTTP/2 to wait for.
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, https ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, static_cast<void *>(this));
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void *>(this));
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, static_cast<void *>(this));
    // 0 is libcurl's default for both: its own 300 s to connect, no total limit.
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(qMax(0, m_request.timeouts.connectMs)));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(qMax(0, m_request.timeouts.totalMs)));

    const bool headRequest = method == "HEAD";
    const bool sendsBody = !headRequest
        && (!m_request.body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH");
    if (headRequest) {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (sendsBody) {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 0L);
        // Not copied: the body lives as long as the call. libcurl rewinds it
        // itself when it has to resend on a fresh connection.
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(m_request.body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, m_request.body.constData());
    } else {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    }
    const bool plainMethod = headRequest || (method == "GET" && !sendsBody) || (method == "POST" && sendsBody);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, plainMethod ? nullptr : method.constData());

    // The first-byte timeout counts from the last body byte handed over,
    // which only the progress callback sees; without a body the request is
    // on its way once the connection is ready.
    m_trackUpload = sendsBody && !m_request.body.isEmpty();
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, m_trackUpload ? 0L : 1L);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, static_cast<void *>(this));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nodes.data());
    return true;
}

void UpstreamCall::configureEasy(void *handle, const char *noProxy)
{
    CURL *easy = static_cast<CURL *>(handle);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    // Long streams can sit quiet behind NATs and load balancers; keep-alive
    // probes keep the path open and find dead peers.
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, 60L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, 30L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    // Bytes pass through as the upstream sent them; whoever set
    // Accept-Encoding decodes.
    curl_easy_setopt(easy, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    // A proxy's "200 Connection established" is not the upstream's head.
    curl_easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &UpstreamCall::onCurlHeader);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &UpstreamCall::onCurlWrite);
    curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &UpstreamCall::onCurlPrereq);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &UpstreamCall::onCurlProgress);
    // The proxy settings come from the environment, read once by the client
    // (see UpstreamClient::proxyFor()); with both options set libcurl does not
    // read the environment again on every transfer.
    curl_easy_setopt(easy, CURLOPT_NOPROXY, noProxy);
}

void *UpstreamCall::easy() const
{
    return m_easy ? static_cast<void *>(m_easy->curl) : nullptr;
}

void UpstreamCall::releaseEasy()
{
    if (m_easy && m_client)
        m_client->recycleEasy(std::move(m_easy));
    m_easy.reset(); // frees the handle when the client did not keep it
}

void UpstreamCall::detach()
{
    if (!m_client)
        return;
    m_timerDueNs = -1;
    releaseCallbacks();
    m_client = nullptr;
}

void UpstreamCall::releaseCallbacks()
{
    if (m_dispatchDepth > 0) {
        m_releaseAfterDispatch = true;
        return;
    }
    m_releaseAfterDispatch = false;
    // The callbacks may hold the last reference to whatever owns this call
    // and is on the stack right now (a relay cancelling from its own
    // method). They are dropped once the event loop is back in control.
    UpstreamCallbacks dead = std::move(m_callbacks);
    m_callbacks = UpstreamCallbacks();
    if (m_client)
        m_client->discardCallbacks(std::move(dead));
}

size_t UpstreamCall::onCurlHeader(char *data, size_t size, size_t count, void *self)
{
    const size_t bytes = size * count;
    return static_cast<UpstreamCall *>(self)->receiveHeaderLine(data, bytes) ? bytes : 0;
}

size_t UpstreamCall::onCurlWrite(char *data, size_t size, size_t count, void *self)
{
    auto *call = static_cast<UpstreamCall *>(self);
    const size_t bytes = size * count;
    if (call->m_paused && !call->m_cancelled) {
        // libcurl keeps this chunk and offers it again after CURLPAUSE_CONT;
        // a pause asked for outside a callback takes effect here, with at
        // most one chunk read in the meantime.
        call->m_curlPaused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    return call->receiveBody(data, bytes) ? bytes : 0;
}

int UpstreamCall::onCurlPrereq(void *self, char *primaryIp, char *localIp, int primaryPort, int localPort)
{
    Q_UNUSED(localIp)
    Q_UNUSED(localPort)
    auto *call = static_cast<UpstreamCall *>(self);
    if (call->m_cancelled)
        return CURL_PREREQFUNC_ABORT;
    qstrncpy(call->m_primaryIp.data(), primaryIp ? primaryIp : "", call->m_primaryIp.size());
    call->m_primaryPort = primaryPort;
    // Also runs again when libcurl resends on a fresh connection after a
    // reused one turned out dead.
    if (call->m_head.started())
        return CURL_PREREQFUNC_OK;
    if (call->m_trackUpload) {
        call->m_phase = Phase::Sending;
        call->m_lastActivityNs = call->nowNs();
        call->m_uploadedBytes = 0;
        call->updateDeadline();
    } else {
        call->requestSent();
    }
    return CURL_PREREQFUNC_OK;
}

int UpstreamCall::onCurlProgress(void *self, curl_off_t downloadTotal, curl_off_t downloadNow,
                                 curl_off_t uploadTotal, curl_off_t uploadNow)
{
    Q_UNUSED(downloadTotal)
    Q_UNUSED(downloadNow)
    Q_UNUSED(uploadTotal)
    auto *call = static_cast<UpstreamCall *>(self);
    if (call->m_cancelled)
        return 1;
    if (call->m_phase != Phase::Sending || uploadNow <= call->m_uploadedBytes)
        return 0;
    call->m_uploadedBytes = uploadNow;
    if (uploadNow >= call->m_request.body.size()) {
        call->requestSent();
    } else {
        call->m_lastActivityNs = call->nowNs();
        call->updateDeadline();
    }
    return 0;
}

void UpstreamCall::requestSent()
{
    m_phase = Phase::AwaitingFirstByte;
    m_sentAtNs = nowNs();
    updateDeadline();
}

bool UpstreamCall::receiveHeaderLine(const char *data, size_t size)
{
    if (m_cancelled)
        return false;
    const qint64 now = nowNs();
    if (m_firstByteUs < 0)
        m_firstByteUs = now / 1000;
    m_phase = Phase::Receiving;
    m_lastActivityNs = now;
    updateDeadline();
    if (m_head.addLine(QByteArrayView(data, qsizetype(size))))
        deliverHead();
    return !m_cancelled;
}

bool UpstreamCall::receiveBody(const char *data, size_t size)
{
    if (m_cancelled)
        return false;
    if (!m_headDelivered) {
        deliverHead();
        if (m_cancelled)
            return false;
    }
    m_bytesReceived += qint64(size);
    m_lastActivityNs = nowNs();
    updateDeadline();
    if (m_callbacks.onData) {
        // A copy: libcurl reuses its buffer, and the receiver may queue the chunk.
        const QByteArray chunk(data, qsizetype(size));
        dispatch([&] { m_callbacks.onData(chunk); });
    }
    return !m_cancelled;
}

void UpstreamCall::deliverHead()
{
    m_headDelivered = true;
    if (m_callbacks.onHead)
        dispatch([&] { m_callbacks.onHead(m_head.status(), m_head.headers()); });
}

qint64 UpstreamCall::deadlineNs() const
{
    if (m_paused || m_cancelled || m_finished)
        return -1;
    constexpr qint64 nsPerMs = 1000000;
    const UpstreamTimeouts &timeouts = m_request.timeouts;
    switch (m_phase) {
    case Phase::Connecting:
        return -1; // CURLOPT_CONNECTTIMEOUT_MS
    case Phase::Sending:
    case Phase::Receiving:
        return timeouts.idleMs > 0 ? m_lastActivityNs + timeouts.idleMs * nsPerMs : -1;
    case Phase::AwaitingFirstByte:
        return timeouts.firstByteMs > 0 ? m_sentAtNs + timeouts.firstByteMs * nsPerMs : -1;
    }
    return -1;
}

qint64 UpstreamCall::nowNs() const
{
    return upstreamSteadyNs() - m_startNs;
}

// Moving the deadline later leaves the client's timer alone: it fires at the
// old time, finds nothing due and re-arms for the earliest deadline then. So
// a stream touches the timer once per idle period, not once per chunk, and
// most calls never touch it at all.
void UpstreamCall::updateDeadline()
{
    if (!m_client)
        return;
    const qint64 due = deadlineNs();
    if (due < 0) {
        m_timerDueNs = -1;
        return;
    }
    if (m_timerDueNs >= 0 && m_timerDueNs <= due)
        return;
    m_timerDueNs = due;
    m_client->armDeadline(m_startNs + due);
}

QString UpstreamCall::timeoutMessage() const
{
    const UpstreamTimeouts &timeouts = m_request.timeouts;
    switch (m_phase) {
    case Phase::Sending:
        return QStringLiteral("idle timeout: the upstream took no request data for %1 ms").arg(timeouts.idleMs);
    case Phase::AwaitingFirstByte:
        return QStringLiteral("first-byte timeout: no response within %1 ms after the request was sent")
            .arg(timeouts.firstByteMs);
    case Phase::Receiving:
        return QStringLiteral("idle timeout: no data from the upstream for %1 ms").arg(timeouts.idleMs);
    case Phase::Connecting:
        break;
    }
    return QStringLiteral("timeout");
}

QString UpstreamCall::curlTimeoutMessage() const
{
    // libcurl reports the connect and the total timeout alike; which one it
    // was follows from how far the call got and which limit is shorter.
    const UpstreamTimeouts &timeouts = m_request.timeouts;
    const bool connectLimited = timeouts.connectMs > 0 && (timeouts.totalMs <= 0 || timeouts.connectMs < timeouts.totalMs);
    if (m_phase == Phase::Connecting && (connectLimited || timeouts.totalMs <= 0)) {
        return timeouts.connectMs > 0
            ? QStringLiteral("connect timeout: not connected within %1 ms").arg(timeouts.connectMs)
            : QStringLiteral("connect timeout: not connected in time");
    }
    return QStringLiteral("total timeout: the call took longer than %1 ms").arg(timeouts.totalMs);
}

UpstreamResult UpstreamCall::buildResult(int curlCode, UpstreamFailure failure, const QString &message)
{
    UpstreamResult result;
    result.failure = failure;
    result.message = message;
    result.curlCode = curlCode;
    if (m_head.complete()) {
        result.status = m_head.status();
        result.headers = m_head.headers();
    }
    result.bytesReceived = m_bytesReceived;
    result.firstByteUs = m_firstByteUs;
    result.totalUs = nowNs() / 1000;
    // The prerequest callback saw the address the request went to; a call
    // that never got that far reports the one libcurl last tried.
    result.remoteAddress = formatAddress(m_primaryIp.data(), m_primaryPort);
    if (CURL *easy = m_easy ? m_easy->curl : nullptr) {
        char *ip = nullptr;
        long port = 0;
        if (result.remoteAddress.isEmpty() && curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip && *ip
            && curl_easy_getinfo(easy, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK)
            result.remoteAddress = formatAddress(ip, port);
        long version = 0;
        if (curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version) == CURLE_OK)
            result.httpVersion = httpVersionNumber(version);
        long connects = 0;
        if (curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK)
            result.newConnections = int(connects);
    }
    return result;
}

QString UpstreamCall::curlMessage(int curlCode) const
{
    QString text = QString::fromUtf8(m_errorBuffer.data(), qsizetype(qstrnlen(m_errorBuffer.data(), m_errorBuffer.size())))
                       .trimmed();
    if (text.isEmpty())
        text = QString::fromUtf8(curl_easy_strerror(static_cast<CURLcode>(curlCode)));
    return scrubbed(text);
}

// libcurl's messages name the host and port, which logs want, but the
// query (Gemini's ?key=) and user info of the URL must never reach them.
QString UpstreamCall::scrubbed(QString message) const
{
    const QByteArray &url = m_request.url;
    const qsizetype query = url.indexOf('?');
    if (query >= 0 && query + 1 < url.size())
        message.replace(QString::fromUtf8(url.mid(query + 1)), QStringLiteral("..."));
    const qsizetype hostStart = url.indexOf("://") + 3;
    qsizetype hostEnd = hostStart;
    while (hostEnd < url.size() && url.at(hostEnd) != '/' && url.at(hostEnd) != '?' && url.at(hostEnd) != '#')
        ++hostEnd;
    const qsizetype at = url.lastIndexOf('@', hostEnd - 1);
    if (at > hostStart)
        message.replace(QString::fromUtf8(url.mid(hostStart, at - hostStart)), QStringLiteral("..."));
    return message;
}

} // namespace gw
