#pragma once

#include "breakerpolicy.h"
#include "failureclass.h"

#include <QJsonObject>
#include <QString>

#include <mutex>
#include <vector>

namespace gw {

// One channel's circuit breaker, shared by every worker thread.
//   closed    -> requests flow; failures are counted
//   open      -> no requests until the cool-down ends
//   half-open -> one request goes through as a probe: success closes the
//                breaker, failure opens it again for twice as long
// A 429 does not trip the breaker: it parks the channel until its
// Retry-After has passed.
class ChannelHealth
{
public:
    enum class State { Closed, Open, HalfOpen };

    explicit ChannelHealth(const BreakerPolicy &policy = {});

    // Whether a request may be sent now, without reserving anything.
    bool isAvailable(qint64 nowMs) const;
    // Reserves the right to send: in half-open state only one caller gets it.
    bool tryAcquire(qint64 nowMs);
    // Gives back a half-open probe that was acquired but never sent.
    void release();

    void recordSuccess(qint64 nowMs);
    void recordFailure(FailureClass failure, qint64 nowMs, const QString &message = {});
    void recordRateLimited(qint64 nowMs, qint64 retryAfterMs);

    State state(qint64 nowMs) const;
    QJsonObject toJson(qint64 nowMs) const;

    static QString stateName(State s);

private:
    void open(qint64 nowMs);
    State stateLocked(qint64 nowMs) const;

    BreakerPolicy m_policy;
    mutable std::mutex m_mutex;
    State m_state = State::Closed;
    int m_consecutive = 0;
    std::vector<char> m_window; // ring of recent outcomes: 1 failure, 0 success
    size_t m_windowNext = 0;
    size_t m_windowCount = 0;
    qint64 m_openUntilMs = 0;
    int m_currentCooldownMs = 0;
    bool m_probeInFlight = false;
    qint64 m_rateLimitedUntilMs = 0;
    quint64 m_successes = 0;
    quint64 m_failures = 0;
    quint64 m_opens = 0;
    QString m_lastError;
    qint64 m_lastErrorAtMs = 0;
};

} // namespace gw
