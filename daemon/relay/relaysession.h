#pragma once

#include "relayrequest.h"
#include "relayservices.h"
#include "routing/catalog.h"
#include "routing/failureclass.h"
#include "routing/routeplanner.h"
#include "usagerecord.h"

#include "answertranscoder.h"
#include "billing/holdrecord.h"
#include "billing/usagequantities.h"
#include "modelpricing.h"
#include "http/httpexchange.h"
#include "upstream/upstreamresult.h"

#include <QSet>

#include <memory>

namespace gw {

class ChannelHealth;
class UpstreamCall;

// One relayed call, from the first attempt to the usage row. It walks the
// route plan: each attempt goes to a channel whose breaker lets it through;
// a failure the model's fallback policy allows moves on to the next channel
// (never one that already failed for this call); anything else, or a stream
// that has already sent bytes to the caller, ends it. Lives on the HTTP
// worker's thread; owned by the callbacks that refer to it.
class RelaySession : public std::enable_shared_from_this<RelaySession>
{
public:
    static void start(const HttpExchangePtr &exchange, RelayRequest request, RelayServices services);

    RelaySession(const HttpExchangePtr &exchange, RelayRequest request, RelayServices services);
    ~RelaySession();

private:
    struct Failure
    {
        FailureClass failureClass = FailureClass::None;
        int status = 0;
        QString message;
        QByteArray body;          // the upstream's own error body (passed through for caller errors)
        QByteArray contentType;
        qint64 retryAfterMs = 0;
    };

    static Failure failure(FailureClass failureClass, int status, const QString &message);
    void begin();
    void nextAttempt();
    void startAttempt(const RouteCandidate &candidate, ApiFamily family, QByteArray body, std::shared_ptr<ChannelHealth> breaker);
    void onHead(int status, const QList<QPair<QByteArray, QByteArray>> &headers);
    void onData(const QByteArray &chunk);
    void onDone(const UpstreamResult &result);
    void onClientGone();

    void handleStreamStep(const AnswerTranscoder::StreamStep &step);
    void commitStream();
    void applyBackPressure();

    void attemptSucceeded();
    void attemptFailed(Failure f);
    void finishWithFailure();
    void finishStreamCut(const QString &why);
    void finishStream();
    void finishJson(QByteArray body);
    qint64 defaultMaxTokens() const;
    void respondError(int status, const QString &message, const QString &code, qint64 retryAfterMs = 0);
    void recordAttempt(const QString &errorClass, int status, const QString &message);
    // Charges what the call used against its hold and runs `then` once the
    // charge is durable (true), or could not be recorded (false).
    void settleThen(std::function<void(bool charged)> then);
    void releaseHold();
    UsageQuantities usedQuantities() const;
    void addLimitHeaders(QList<QPair<QByteArray, QByteArray>> &headers) const;
    void fillUsageFromStream();
    void record();

    static FailureClass classifyStatus(int status);
    static qint64 retryAfterMs(const QList<QPair<QByteArray, QByteArray>> &headers);

    HttpExchangePtr m_exchange;
    RelayRequest m_request;
    RelayServices m_services;
    std::shared_ptr<const Catalog> m_catalog;
    Catalog::ModelPtr m_model;
    std::optional<RoutePlanner> m_routes; // reads *m_catalog, declared above it
    QSet<QString> m_failedChannels;
    std::optional<Failure> m_lastFailure;
    QString m_refusal;          // why a channel could not take the request (a translation it lacks)

    // The attempt in flight.
    std::shared_ptr<UpstreamCall> m_call;
    std::shared_ptr<ChannelHealth> m_breaker;
    RouteCandidate m_candidate;
    qint64 m_attemptStartedUs = 0;
    std::optional<qint64> m_attemptTtfbMs;
    int m_status = 0;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_buffer;
    bool m_streaming = false;   // this attempt's answer is being read as a stream
    std::unique_ptr<AnswerTranscoder> m_transcoder;
    ApiFamily m_upstreamFamily = ApiFamily::OpenAI;
    bool m_eventSeen = false;

    ModelPricing m_pricing;     // as they were when the call started: what it is charged at
    std::optional<HoldRecord> m_hold;
    bool m_committed = false;   // bytes went to the caller: no fallback from here on
    bool m_finished = false;
    bool m_clientGone = false;
    qint64 m_startedUs = 0;
    UsageRecord m_usage;
};

} // namespace gw
