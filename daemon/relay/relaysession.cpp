#include "relaysession.h"

#include "access/accessgate.h"
#include "access/apikeyauthenticator.h"
#include "billing/costrulebook.h"
#include "billing/ledger.h"
#include "observability/relaymetrics.h"
#include "billing/pricecalculator.h"
#include "channelendpoint.h"
#include "common/timeformat.h"
#include "http/sseevent.h"
#include "observability/logger.h"
#include "observability/monotonicclock.h"
#include "routing/catalogstore.h"
#include "routing/channelhealthregistry.h"
#include "routing/routingrandom.h"
#include "upstream/upstreamcall.h"
#include "upstream/upstreamclient.h"
#include "usagerecorder.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>


namespace gw {

namespace {

// Past this much unread output, stop reading from the upstream until the
// caller catches up: a slow reader must not make the gateway buffer a stream.
constexpr qsizetype kPauseAboveBytes = 512 * 1024;
// A non-streamed answer is buffered to be checked before it is sent; past
// this it is treated as a broken upstream.
constexpr qsizetype kMaxBufferedAnswer = 64 * 1024 * 1024;
// The output a hold assumes when neither the request nor the model caps it.
constexpr qint64 kDefaultMaxOutputTokens = 4096;

int configInt(const ChannelInfo &c, const char *key, int fallback)
{
    const QJsonValue v = c.config.value(QLatin1String(key));
    return v.isDouble() ? v.toInt() : fallback;
}

} // namespace

RelaySession::Failure RelaySession::failure(FailureClass failureClass, int status, const QString &message)
{
    Failure f;
    f.failureClass = failureClass;
    f.status = status;
    f.message = message;
    return f;
}

void RelaySession::start(const HttpExchangePtr &exchange, RelayRequest request, RelayServices services)
{
    auto session = std::make_shared<RelaySession>(exchange, std::move(request), services);
    session->begin();
}

RelaySession::RelaySession(const HttpExchangePtr &exchange, RelayRequest request, RelayServices services)
    : m_exchange(exchange)
    , m_request(std::move(request))
    , m_services(services)
{
}

RelaySession::~RelaySession()
{
    if (m_call)
        m_call->cancel();
    if (m_breaker)
        m_breaker->release();
    releaseHold();
    if (m_committed)
        m_services.metrics.streamClosed();
}

void RelaySession::begin()
{
    m_startedUs = monotonicUs();
    const HttpRequest &http = m_exchange->request();
    m_usage.requestId = m_exchange->requestId();
    m_usage.createdAtMs = TimeFormat::nowMs();
    m_usage.userId = m_request.key->userId;
    m_usage.keyId = m_request.key->id;
    m_usage.projectId = m_request.key->projectId;
    m_usage.family = m_request.familyName;
    m_usage.endpoint = m_request.endpoint;
    m_usage.model = m_request.modelId;
    m_usage.stream = m_request.stream;
    m_usage.clientIp = http.peer.toString();
    m_usage.userAgent = QString::fromUtf8(http.header("user-agent"));
    m_usage.storePayload = m_services.usage.storesPayloadFor(m_request.key->storePayloads);
    if (m_usage.storePayload)
        m_usage.requestBody = m_services.usage.cap(m_request.body, &m_usage.requestTruncated);
    m_exchange->addLogField("key", m_request.key->id.toUtf8());
    m_exchange->addLogField("model", m_request.modelId.toUtf8());

    m_catalog = m_services.catalog.current();
    m_model = m_catalog->model(m_request.modelId);
    if (!m_model) {
        respondError(404, QStringLiteral("The model '%1' does not exist").arg(m_request.modelId), QStringLiteral("model_not_found"));
        return;
    }
    const auto key = m_request.key;
    m_routes.emplace(*m_catalog, *m_model, [key](const QString &id) { return ApiKeyAuthenticator::allowsModel(*key, id); },
                     m_services.health, RoutingRandom::forThisThread());
    std::weak_ptr<RelaySession> weak = weak_from_this();
    m_exchange->onClientGone([weak] {
        if (auto self = weak.lock())
            self->onClientGone();
    });

    // Hold the most this call can cost before anything goes upstream.
    m_pricing = m_model->pricing;
    qint64 estimate = 0;
    switch (m_request.operation) {
    case RelayOperation::Chat:
        estimate = PriceCalculator::estimate(m_pricing, m_request.estimatedPromptTokens,
                                             m_request.maxTokens.value_or(defaultMaxTokens()));
        break;
    case RelayOperation::Embeddings:
        estimate = PriceCalculator::estimate(m_pricing, m_request.estimatedPromptTokens, 0);
        break;
    case RelayOperation::Images:
        // Models that bill images in tokens (gpt-image-*) may use up to the
        // model's output cap for each.
        estimate = PriceCalculator::estimate(m_pricing, m_request.estimatedPromptTokens,
                                             m_pricing.outputPerMtok > 0 ? defaultMaxTokens() * m_request.images : 0,
                                             m_request.images);
        break;
    case RelayOperation::Speech:
        // Speech is priced by the input's characters, as providers price it.
        estimate = PriceCalculator::estimate(m_pricing, m_request.textChars, 0);
        break;
    }
    if (estimate <= 0) {
        nextAttempt(); // a free model: nothing to hold
        return;
    }
    HoldRequest hold;
    hold.userId = m_request.key->userId;
    hold.projectId = m_request.key->projectId;
    hold.keyId = m_request.key->id;
    hold.requestId = QString::fromLatin1(m_exchange->requestId());
    hold.model = m_request.modelId;
    hold.amount = estimate;
    if (const auto &plan = m_request.admission.plan)
        hold.monthlyAllowance = plan->allowance();
    if (const auto &project = m_request.admission.project) {
        hold.projectBudget = project->monthlyBudget;
        hold.teamProject = true;
    }
    auto self = shared_from_this();
    m_services.ledger.openHold(hold, m_exchange->context(), [self](Outcome<HoldRecord> o) {
        if (self->m_finished)
            return; // the caller left while the hold was being written
        if (!o.ok()) {
            const bool refused = o.error().kind() == ServiceError::Kind::PaymentRequired;
            self->respondError(refused ? 402 : 503, refused ? o.error().message() : QStringLiteral("The ledger is unavailable; try again."),
                               refused ? QStringLiteral("insufficient_credits") : QStringLiteral("ledger_unavailable"));
            return;
        }
        self->m_hold = o.take();
        self->nextAttempt();
    });
}

qint64 RelaySession::defaultMaxTokens() const
{
    return m_model->maxOutputTokens.value_or(kDefaultMaxOutputTokens);
}

void RelaySession::nextAttempt()
{
    if (m_finished || m_clientGone)
        return;
    const int maxAttempts = qMax(1, m_model->fallback.maxAttempts);
    while (m_usage.attempts.size() < maxAttempts) {
        const std::optional<RouteCandidate> next = m_routes->next(TimeFormat::nowMs());
        if (!next)
            break;
        const RouteCandidate &candidate = *next;
        if (m_failedChannels.contains(candidate.channel->id))
            continue;
        if (!m_services.gate.channelAllowed(*m_request.key, m_request.presentedKey, candidate.channel->id,
                                            candidate.channel->provider, m_request.estimatedPromptTokens, TimeFormat::nowMs()))
            continue; // blocked for this provider, or over the channel's or provider's limit
        const auto family = ChannelEndpoint::familyOf(*candidate.channel);
        if (!family)
            continue; // a task provider's channel on a chat model: nothing to say to it
        // The shape is settled before the breaker is asked, so that a channel
        // that cannot take this request does not use up its half-open probe.
        QString refusal;
        auto transcoder = AnswerTranscoder::create(m_request, *family, defaultMaxTokens(), &refusal);
        std::optional<QByteArray> body;
        if (transcoder)
            body = transcoder->requestBody(candidate, &refusal);
        if (!body) {
            m_refusal = refusal;
            continue;
        }
        auto breaker = m_services.health.of(candidate.channel->id);
        if (!breaker->tryAcquire(TimeFormat::nowMs()))
            continue; // another request holds its half-open probe, or it just opened
        m_transcoder = std::move(transcoder);
        startAttempt(candidate, *family, std::move(*body), breaker);
        return;
    }
    finishWithFailure();
}

void RelaySession::startAttempt(const RouteCandidate &candidate, ApiFamily family, QByteArray body,
                                std::shared_ptr<ChannelHealth> breaker)
{
    m_candidate = candidate;
    m_upstreamFamily = family;
    m_breaker = std::move(breaker);
    m_status = 0;
    m_headers.clear();
    m_buffer.clear();
    m_streaming = false;
    m_eventSeen = false;
    m_attemptTtfbMs.reset();
    m_attemptStartedUs = monotonicUs();

    const ChannelInfo &channel = *candidate.channel;
    UpstreamRequest request;
    request.method = "POST";
    request.url = ChannelEndpoint::url(channel, family, m_request, candidate.upstreamModel);
    request.headers = ChannelEndpoint::headers(channel, family, m_request.stream, m_exchange->requestId(), m_exchange->request(),
                                               m_request.family);
    request.body = std::move(body);
    request.timeouts.connectMs = configInt(channel, "connect_timeout_ms", 10000);
    request.timeouts.totalMs = channel.timeoutMs.value_or(0);
    const int defaultWait = channel.timeoutMs ? qMin(*channel.timeoutMs, 120000) : 120000;
    request.timeouts.firstByteMs = configInt(channel, "first_byte_timeout_ms", defaultWait);
    request.timeouts.idleMs = configInt(channel, "idle_timeout_ms", defaultWait);
    if (const QJsonValue ca = channel.config.value(QLatin1String("ca_file")); ca.isString())
        request.caFile = QFile::encodeName(ca.toString());

    std::weak_ptr<RelaySession> weak = weak_from_this();
    UpstreamClient::Callbacks callbacks;
    callbacks.onHead = [weak](int status, const QList<QPair<QByteArray, QByteArray>> &headers) {
        if (auto self = weak.lock())
            self->onHead(status, headers);
    };
    callbacks.onData = [weak](const QByteArray &chunk) {
        if (auto self = weak.lock())
            self->onData(chunk);
    };
    // The completion holds the session: a call in flight keeps it alive.
    auto self = shared_from_this();
    callbacks.onDone = [self](const UpstreamResult &result) { self->onDone(result); };
    m_call = UpstreamClient::forContext(m_exchange->context())->start(std::move(request), std::move(callbacks));
}

void RelaySession::onHead(int status, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    m_status = status;
    m_headers = headers;
    m_attemptTtfbMs = (monotonicUs() - m_attemptStartedUs) / 1000;
    m_streaming = m_request.stream && status >= 200 && status < 300;
}

void RelaySession::onData(const QByteArray &chunk)
{
    if (m_streaming) {
        handleStreamStep(m_transcoder->feed(chunk));
        return;
    }
    if (m_buffer.size() + chunk.size() > kMaxBufferedAnswer) {
        auto call = std::move(m_call);
        call->cancel();
        attemptFailed(failure(FailureClass::Protocol, m_status, QStringLiteral("the upstream answer exceeded %1 bytes").arg(kMaxBufferedAnswer)));
        return;
    }
    m_buffer += chunk;
}

void RelaySession::handleStreamStep(const AnswerTranscoder::StreamStep &step)
{
    if (m_finished)
        return;
    if (step.sawEvent)
        m_eventSeen = true;
    if (!step.out.isEmpty()) {
        commitStream();
        m_exchange->write(step.out);
        applyBackPressure();
    }
    if (step.upstreamError.isEmpty() && step.malformed.isEmpty())
        return;
    auto call = std::move(m_call);
    if (call)
        call->cancel();
    if (!step.upstreamError.isEmpty()) {
        // An error the upstream wrote into its stream (Anthropic's overloaded
        // error, an OpenAI error chunk): before anything reached the caller,
        // another channel may still answer.
        const QString why = QStringLiteral("the upstream reported an error in its stream: %1").arg(step.upstreamError);
        if (m_committed) {
            recordAttempt(failureClassName(FailureClass::Server), m_status, why);
            m_breaker->recordFailure(FailureClass::Server, TimeFormat::nowMs(), why);
            m_breaker.reset();
            finishStreamCut(why);
        } else {
            attemptFailed(failure(FailureClass::Server, m_status, why));
        }
        return;
    }
    if (m_committed)
        finishStreamCut(QStringLiteral("the upstream stream was malformed: %1").arg(step.malformed));
    else
        attemptFailed(failure(FailureClass::Protocol, m_status, QStringLiteral("malformed event stream: %1").arg(step.malformed)));
}

void RelaySession::commitStream()
{
    if (m_committed)
        return;
    m_committed = true;
    m_services.metrics.streamOpened();
    m_usage.ttfbMs = (monotonicUs() - m_startedUs) / 1000;
    QList<QPair<QByteArray, QByteArray>> headers{{"content-type", m_transcoder->streamContentType()},
                                                 {"cache-control", "no-cache"},
                                                 {"x-accel-buffering", "no"}};
    addLimitHeaders(headers);
    m_exchange->beginStream(200, headers);
}

void RelaySession::applyBackPressure()
{
    if (!m_call || m_exchange->pendingOutputBytes() < kPauseAboveBytes)
        return;
    m_call->pauseReceiving();
    std::weak_ptr<RelaySession> weak = weak_from_this();
    m_exchange->onOutputDrained([weak] {
        if (auto self = weak.lock(); self && self->m_call)
            self->m_call->resumeReceiving();
    });
}

FailureClass RelaySession::classifyStatus(int status)
{
    if (status >= 200 && status < 300)
        return FailureClass::None;
    if (status == 429)
        return FailureClass::RateLimit;
    if (status == 401 || status == 403)
        return FailureClass::Auth;
    if (status == 408)
        return FailureClass::Timeout;
    // A 404 for a model the channel is configured to serve is the channel's
    // fault (a wrong upstream name, a retired model), not the caller's.
    if (status == 404 || status >= 500 || status < 200)
        return FailureClass::Server;
    return FailureClass::Client;
}

qint64 RelaySession::retryAfterMs(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    for (const auto &h : headers) {
        if (h.first == "retry-after-ms") {
            bool ok = false;
            const qint64 ms = h.second.trimmed().toLongLong(&ok);
            if (ok)
                return ms;
        }
    }
    for (const auto &h : headers) {
        if (h.first != "retry-after")
            continue;
        bool ok = false;
        const double seconds = h.second.trimmed().toDouble(&ok);
        if (ok)
            return qint64(seconds * 1000);
        const QDateTime when = QDateTime::fromString(QString::fromLatin1(h.second.trimmed()), Qt::RFC2822Date);
        if (when.isValid())
            return qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when));
    }
    return 0;
}

void RelaySession::onDone(const UpstreamResult &result)
{
    m_call.reset();
    if (m_finished || m_clientGone)
        return;
    if (m_streaming && result.failure == UpstreamFailure::None) {
        handleStreamStep(m_transcoder->finish());
        if (m_finished)
            return;
    }
    for (const auto &h : result.headers) {
        if (h.first == "x-request-id" || h.first == "request-id")
            m_usage.upstreamRequestId = QString::fromLatin1(h.second);
    }
    if (result.failure != UpstreamFailure::None && result.failure != UpstreamFailure::Cancelled) {
        FailureClass cls = FailureClass::Protocol;
        if (result.failure == UpstreamFailure::Connect)
            cls = FailureClass::Connect;
        else if (result.failure == UpstreamFailure::Timeout)
            cls = FailureClass::Timeout;
        if (m_committed) {
            recordAttempt(failureClassName(cls), m_status, result.message);
            m_breaker->recordFailure(cls, TimeFormat::nowMs(), result.message);
            m_breaker.reset();
            finishStreamCut(result.message);
            return;
        }
        attemptFailed(failure(cls, m_status, result.message));
        return;
    }
    const FailureClass byStatus = classifyStatus(m_status);
    if (byStatus != FailureClass::None) {
        Failure f = failure(byStatus, m_status, QStringLiteral("the upstream answered %1").arg(m_status));
        f.body = m_buffer;
        for (const auto &h : m_headers) {
            if (h.first == "content-type")
                f.contentType = h.second;
        }
        if (byStatus == FailureClass::RateLimit)
            f.retryAfterMs = retryAfterMs(m_headers);
        attemptFailed(f);
        return;
    }
    if (m_streaming) {
        if (!m_eventSeen) {
            attemptFailed(failure(FailureClass::Protocol, m_status, QStringLiteral("the upstream stream ended without any event")));
            return;
        }
        if (!m_transcoder->streamComplete()) {
            const QString why = QStringLiteral("the stream ended before the answer did");
            if (m_committed) {
                recordAttempt(QStringLiteral("protocol"), m_status, why);
                m_breaker->recordFailure(FailureClass::Protocol, TimeFormat::nowMs());
                m_breaker.reset();
                finishStreamCut(QStringLiteral("the upstream stream ended early"));
            } else {
                attemptFailed(failure(FailureClass::Protocol, m_status, why));
            }
            return;
        }
        attemptSucceeded();
        finishStream();
        return;
    }
    QString problem;
    auto answer = m_transcoder->answer(m_buffer, &problem);
    if (!answer) {
        attemptFailed(failure(FailureClass::Protocol, m_status, problem));
        return;
    }
    attemptSucceeded();
    finishJson(std::move(*answer));
}

void RelaySession::recordAttempt(const QString &errorClass, int status, const QString &message)
{
    AttemptRecord a;
    a.attempt = int(m_usage.attempts.size()) + 1;
    a.startedAtMs = TimeFormat::nowMs() - (monotonicUs() - m_attemptStartedUs) / 1000;
    a.channelId = m_candidate.channel->id;
    a.model = m_candidate.modelId;
    a.upstreamModel = m_candidate.upstreamModel;
    a.status = status;
    a.errorClass = errorClass;
    a.errorMessage = message;
    const qint64 attemptUs = monotonicUs() - m_attemptStartedUs;
    a.latencyMs = attemptUs / 1000;
    m_services.metrics.recordAttempt(a.channelId, errorClass, attemptUs);
    a.ttfbMs = m_attemptTtfbMs;
    for (const auto &h : m_headers) {
        if (h.first == "x-request-id" || h.first == "request-id")
            a.upstreamRequestId = QString::fromLatin1(h.second);
    }
    m_usage.attempts.append(a);
    m_usage.channelId = a.channelId;
    m_usage.upstreamModel = a.upstreamModel;
    if (!a.upstreamRequestId.isEmpty())
        m_usage.upstreamRequestId = a.upstreamRequestId;
}

void RelaySession::attemptSucceeded()
{
    recordAttempt(QStringLiteral("ok"), m_status, QString());
    if (m_breaker) {
        m_breaker->recordSuccess(TimeFormat::nowMs());
        m_breaker.reset();
    }
}

void RelaySession::attemptFailed(Failure f)
{
    recordAttempt(failureClassName(f.failureClass), f.status, f.message);
    if (m_breaker) {
        const qint64 now = TimeFormat::nowMs();
        if (f.failureClass == FailureClass::RateLimit)
            m_breaker->recordRateLimited(now, f.retryAfterMs);
        else if (f.failureClass == FailureClass::Client)
            m_breaker->recordSuccess(now); // it answered sensibly; the request was at fault
        else
            m_breaker->recordFailure(f.failureClass, now, f.message);
        m_breaker.reset();
    }
    m_failedChannels.insert(m_candidate.channel->id);
    const QString trigger = fallbackTriggerFor(f.failureClass);
    m_lastFailure = std::move(f);
    if (!trigger.isEmpty() && m_model->fallback.on.contains(trigger)) {
        // Start the next attempt from the event loop, not from inside the
        // client's completion of this one.
        auto self = shared_from_this();
        QMetaObject::invokeMethod(m_exchange->context(), [self] { self->nextAttempt(); }, Qt::QueuedConnection);
        return;
    }
    finishWithFailure();
}

void RelaySession::finishWithFailure()
{
    if (m_finished)
        return;
    if (!m_lastFailure && !m_refusal.isEmpty()) {
        // No channel could take the request as written: the caller's to fix.
        respondError(400, m_refusal, QStringLiteral("untranslatable_request"));
        return;
    }
    if (!m_lastFailure) {
        if (m_routes->handedOut() == 0 && m_routes->skippedUnhealthy() == 0)
            respondError(503, QStringLiteral("The model '%1' has no usable channel").arg(m_request.modelId),
                         QStringLiteral("no_channel"));
        else
            respondError(503, QStringLiteral("No healthy channel can serve '%1' right now; try again shortly").arg(m_request.modelId),
                         QStringLiteral("no_healthy_channel"));
        return;
    }
    const Failure &f = *m_lastFailure;
    switch (f.failureClass) {
    case FailureClass::Client: {
        // The caller's own mistake, in the upstream's words and status.
        m_finished = true;
        releaseHold();
        HttpResponse response;
        response.status = f.status;
        QByteArray contentType = f.contentType.isEmpty() ? QByteArrayLiteral("application/json") : f.contentType;
        response.body = m_transcoder ? m_transcoder->errorBody(f.status, f.body, &contentType) : f.body;
        response.setHeader("content-type", contentType);
        addLimitHeaders(response.headers);
        m_usage.status = f.status;
        m_usage.errorCode = QStringLiteral("upstream_%1").arg(f.status);
        m_usage.errorMessage = QString::fromUtf8(f.body.left(500));
        if (m_usage.storePayload)
            m_usage.responseBody = m_services.usage.cap(f.body, &m_usage.responseTruncated);
        m_exchange->respond(std::move(response));
        record();
        return;
    }
    case FailureClass::RateLimit:
        respondError(429, QStringLiteral("The upstream is rate limiting '%1'; retry after a pause").arg(m_request.modelId),
                     QStringLiteral("upstream_rate_limited"), qMax<qint64>(1000, f.retryAfterMs));
        return;
    case FailureClass::Timeout:
        respondError(504, QStringLiteral("The upstream did not answer in time (%1)").arg(f.message), QStringLiteral("upstream_timeout"));
        return;
    case FailureClass::Auth:
        respondError(502, QStringLiteral("The upstream refused the gateway's credentials for '%1'").arg(m_request.modelId),
                     QStringLiteral("upstream_auth_failed"));
        return;
    case FailureClass::Connect:
        respondError(502, QStringLiteral("The upstream could not be reached (%1)").arg(f.message), QStringLiteral("upstream_unreachable"));
        return;
    case FailureClass::Server:
    case FailureClass::Protocol:
    case FailureClass::None:
        respondError(502, QStringLiteral("The upstream failed: %1").arg(f.message), QStringLiteral("upstream_error"));
        return;
    }
}

void RelaySession::addLimitHeaders(QList<QPair<QByteArray, QByteArray>> &headers) const
{
    for (const auto &h : m_request.admission.headers) {
        if (h.first != "retry-after")
            headers.append(h);
    }
}

void RelaySession::releaseHold()
{
    if (m_hold) {
        m_services.ledger.release(m_hold->id);
        m_hold.reset();
    }
}

UsageQuantities RelaySession::usedQuantities() const
{
    UsageQuantities q;
    // Prompt counts are recorded whole (OpenAI's and Gemini's include the
    // cached tokens; Anthropic's are added up so): cache reads and writes
    // have their own prices, and the rest is plain input.
    q.cacheReadTokens = qMin(m_usage.cachedTokens, m_usage.promptTokens);
    q.cacheWriteTokens = qMin(m_usage.cacheWriteTokens, m_usage.promptTokens - q.cacheReadTokens);
    q.inputTokens = m_usage.promptTokens - q.cacheReadTokens - q.cacheWriteTokens;
    q.outputTokens = m_usage.completionTokens; // reasoning tokens are counted in them
    q.requests = 1;
    q.images = m_usage.images;
    if (m_request.operation == RelayOperation::Speech) {
        q.inputTokens = m_request.textChars;
        q.cacheReadTokens = q.cacheWriteTokens = q.outputTokens = 0;
    }
    return q;
}

void RelaySession::settleThen(std::function<void(bool charged)> then)
{
    const UsageQuantities used = usedQuantities();
    const qint64 charge = PriceCalculator::cost(m_pricing, used);
    m_usage.credits = charge;
    m_usage.prices = m_model->pricingJson; // the snapshot m_pricing came from
    if (const auto rule = m_services.costRules.match(m_usage.channelId, m_usage.model))
        m_usage.upstreamCost = PriceCalculator::cost(rule->pricing, used);
    m_services.gate.settleTokens(m_request.admission, m_usage.promptTokens + m_usage.completionTokens, TimeFormat::nowMs());
    if (!m_hold) {
        then(true); // a free model: nothing was held, nothing is charged
        return;
    }
    SettleRequest settle;
    settle.charge = charge;
    settle.reason = m_request.endpoint + QLatin1Char(' ') + m_request.modelId;
    if (const auto &plan = m_request.admission.plan)
        settle.monthlyAllowance = plan->allowance();
    const QString holdId = m_hold->id;
    m_hold.reset();
    auto self = shared_from_this();
    m_services.ledger.settle(holdId, settle, m_exchange->context(), [self, holdId, then = std::move(then)](Outcome<SettleResult> o) {
        if (!o.ok()) {
            Logger::error("could not record a charge", {{"request_id", self->m_usage.requestId}, {"hold", holdId},
                                                        {"error", o.error().message()}});
            self->m_usage.credits = 0;
            self->m_services.ledger.release(holdId);
            then(false);
            return;
        }
        then(true);
    });
}

void RelaySession::respondError(int status, const QString &message, const QString &code, qint64 retryAfter)
{
    if (m_finished)
        return;
    m_finished = true;
    releaseHold();
    ApiError e;
    e.status = status;
    e.message = message;
    e.code = code;
    HttpResponse response = e.toResponse(m_request.family);
    if (status == 429 && retryAfter > 0)
        response.setHeader("retry-after", QByteArray::number((retryAfter + 999) / 1000));
    addLimitHeaders(response.headers);
    m_usage.status = status;
    m_usage.errorCode = code;
    m_usage.errorMessage = message;
    m_exchange->respond(std::move(response));
    record();
}

void RelaySession::finishJson(QByteArray body)
{
    m_finished = true;
    m_transcoder->fillUsage(m_usage, m_request.estimatedPromptTokens);
    QByteArray contentType = "application/json";
    for (const auto &h : m_headers) {
        if (h.first == "content-type")
            contentType = h.second;
    }
    const int status = m_status;
    settleThen([this, self = shared_from_this(), body, contentType, status](bool charged) {
        if (!charged) {
            // Nothing goes out that is not accounted for.
            m_usage.status = 503;
            m_usage.errorCode = QStringLiteral("ledger_unavailable");
            ApiError e;
            e.status = 503;
            e.message = QStringLiteral("The charge for this call could not be recorded, so its answer is withheld and nothing "
                                       "was charged; try again.");
            e.code = QStringLiteral("ledger_unavailable");
            m_exchange->respond(e.toResponse(m_request.family));
            record();
            return;
        }
        HttpResponse response;
        response.status = status;
        response.body = body;
        response.setHeader("content-type", contentType);
        addLimitHeaders(response.headers);
        m_usage.status = status;
        m_usage.ttfbMs = (monotonicUs() - m_startedUs) / 1000;
        m_usage.deliveredBytes = body.size();
        if (m_usage.storePayload)
            m_usage.responseBody = m_services.usage.cap(m_transcoder->storedAnswer(body), &m_usage.responseTruncated);
        m_exchange->respond(std::move(response));
        record();
    });
}

void RelaySession::fillUsageFromStream()
{
    m_usage.deliveredBytes = m_exchange->bytesSent();
    if (!m_transcoder)
        return;
    m_transcoder->fillUsage(m_usage, m_request.estimatedPromptTokens);
    if (m_usage.storePayload)
        m_usage.responseBody = m_services.usage.cap(m_transcoder->streamedAnswer(m_services.usage.policy().capBytes + 1),
                                                    &m_usage.responseTruncated);
}

void RelaySession::finishStream()
{
    m_finished = true;
    commitStream();
    m_usage.status = 200;
    fillUsageFromStream();
    settleThen([this, self = shared_from_this()](bool charged) {
        if (charged) {
            m_exchange->write(m_transcoder->streamTrailer());
        } else {
            m_usage.errorCode = QStringLiteral("ledger_unavailable");
            m_exchange->write(m_transcoder->streamError(QStringLiteral("The charge for this call could not be recorded."),
                                                        QStringLiteral("ledger_unavailable")));
        }
        m_exchange->endStream();
        record();
    });
}

void RelaySession::finishStreamCut(const QString &why)
{
    m_finished = true;
    m_usage.status = 200;
    m_usage.cutReason = QStringLiteral("upstream_cut");
    m_usage.errorCode = QStringLiteral("stream_interrupted");
    m_usage.errorMessage = why;
    fillUsageFromStream();
    // What was delivered is charged; the stream then ends with the error.
    settleThen([this, self = shared_from_this(), why](bool) {
        m_exchange->write(m_transcoder->streamError(QStringLiteral("The upstream stream broke off: %1").arg(why),
                                                    QStringLiteral("stream_interrupted")));
        m_exchange->endStream();
        record();
    });
}

void RelaySession::onClientGone()
{
    if (m_finished)
        return;
    m_clientGone = true;
    m_finished = true;
    if (m_call) {
        auto call = std::move(m_call);
        call->cancel();
        recordAttempt(QStringLiteral("client_gone"), m_status, QStringLiteral("the caller went away"));
    }
    if (m_breaker) {
        m_breaker->release();
        m_breaker.reset();
    }
    m_usage.cutReason = QStringLiteral("client_gone");
    if (m_committed) {
        // Content went out before the caller left: that much is charged.
        m_usage.status = 200;
        fillUsageFromStream();
        settleThen([this, self = shared_from_this()](bool) { record(); });
        return;
    }
    releaseHold();
    m_usage.status = 499;
    m_usage.errorCode = QStringLiteral("client_closed_request");
    record();
}

void RelaySession::record()
{
    const qint64 durationUs = monotonicUs() - m_startedUs;
    m_usage.latencyMs = durationUs / 1000;
    m_services.metrics.recordCall(m_usage.family, m_usage.model, m_usage.channelId, m_usage.status, durationUs, m_usage.stream);
    m_exchange->addLogField("attempts", QByteArray::number(m_usage.attempts.size()));
    if (!m_usage.channelId.isEmpty())
        m_exchange->addLogField("channel", m_usage.channelId.toUtf8());
    m_services.usage.record(std::move(m_usage));
    m_usage = UsageRecord();
}

} // namespace gw
