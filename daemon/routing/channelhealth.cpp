#include "channelhealth.h"

#include "common/timeformat.h"

namespace gw {

ChannelHealth::ChannelHealth(const BreakerPolicy &policy)
    : m_policy(policy)
    , m_window(size_t(qMax(1, policy.windowSize)), 0)
{
}

QString ChannelHealth::stateName(State s)
{
    switch (s) {
    case State::Closed: return QStringLiteral("closed");
    case State::Open: return QStringLiteral("open");
    case State::HalfOpen: return QStringLiteral("half_open");
    }
    return QStringLiteral("closed");
}

ChannelHealth::State ChannelHealth::stateLocked(qint64 nowMs) const
{
    if (m_state == State::Open && nowMs >= m_openUntilMs)
        return State::HalfOpen;
    return m_state;
}

ChannelHealth::State ChannelHealth::state(qint64 nowMs) const
{
    std::lock_guard lock(m_mutex);
    return stateLocked(nowMs);
}

bool ChannelHealth::isAvailable(qint64 nowMs) const
{
    std::lock_guard lock(m_mutex);
    if (nowMs < m_rateLimitedUntilMs)
        return false;
    switch (stateLocked(nowMs)) {
    case State::Closed: return true;
    case State::Open: return false;
    case State::HalfOpen: return !m_probeInFlight;
    }
    return false;
}

bool ChannelHealth::tryAcquire(qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    if (nowMs < m_rateLimitedUntilMs)
        return false;
    const State s = stateLocked(nowMs);
    if (s == State::Closed)
        return true;
    if (s == State::Open || m_probeInFlight)
        return false;
    m_state = State::HalfOpen;
    m_probeInFlight = true;
    return true;
}

void ChannelHealth::release()
{
    std::lock_guard lock(m_mutex);
    m_probeInFlight = false;
}

void ChannelHealth::recordSuccess(qint64)
{
    std::lock_guard lock(m_mutex);
    ++m_successes;
    m_consecutive = 0;
    m_window[m_windowNext] = 0;
    m_windowNext = (m_windowNext + 1) % m_window.size();
    m_windowCount = qMin(m_windowCount + 1, m_window.size());
    if (m_state != State::Closed) {
        m_state = State::Closed;
        m_currentCooldownMs = 0;
        std::fill(m_window.begin(), m_window.end(), 0);
        m_windowCount = 0;
    }
    m_probeInFlight = false;
}

void ChannelHealth::open(qint64 nowMs)
{
    m_currentCooldownMs = m_currentCooldownMs == 0 ? m_policy.cooldownMs
                                                   : qMin(m_currentCooldownMs * 2, m_policy.maxCooldownMs);
    m_state = State::Open;
    m_openUntilMs = nowMs + m_currentCooldownMs;
    ++m_opens;
}

void ChannelHealth::recordFailure(FailureClass failure, qint64 nowMs, const QString &message)
{
    if (!countsAgainstChannel(failure)) {
        release();
        return;
    }
    std::lock_guard lock(m_mutex);
    ++m_failures;
    m_lastError = failureClassName(failure) + (message.isEmpty() ? QString() : QStringLiteral(": ") + message.left(300));
    m_lastErrorAtMs = nowMs;
    const State s = stateLocked(nowMs);
    m_probeInFlight = false;
    if (s == State::HalfOpen || s == State::Open) {
        open(nowMs); // the probe failed (or a late failure arrived): longer cool-down
        return;
    }
    ++m_consecutive;
    m_window[m_windowNext] = 1;
    m_windowNext = (m_windowNext + 1) % m_window.size();
    m_windowCount = qMin(m_windowCount + 1, m_window.size());
    int failed = 0;
    for (size_t i = 0; i < m_windowCount; ++i)
        failed += m_window[i];
    const bool ratioTripped = int(m_windowCount) >= m_policy.minimumSamples
                              && double(failed) >= m_policy.failureRatio * double(m_windowCount);
    if (m_consecutive >= m_policy.consecutiveFailures || ratioTripped) {
        m_consecutive = 0;
        open(nowMs);
    }
}

void ChannelHealth::recordRateLimited(qint64 nowMs, qint64 retryAfterMs)
{
    std::lock_guard lock(m_mutex);
    const qint64 wait = retryAfterMs > 0 ? qMin<qint64>(retryAfterMs, m_policy.maxRetryAfterMs) : m_policy.defaultRetryAfterMs;
    m_rateLimitedUntilMs = qMax(m_rateLimitedUntilMs, nowMs + wait);
    m_probeInFlight = false;
    m_lastError = QStringLiteral("429: rate limited for %1 ms").arg(wait);
    m_lastErrorAtMs = nowMs;
}

QJsonObject ChannelHealth::toJson(qint64 nowMs) const
{
    std::lock_guard lock(m_mutex);
    const State s = stateLocked(nowMs);
    int failed = 0;
    for (size_t i = 0; i < m_windowCount; ++i)
        failed += m_window[i];
    QJsonObject o{
        {QStringLiteral("state"), stateName(s)},
        {QStringLiteral("available"), nowMs >= m_rateLimitedUntilMs && (s == State::Closed || (s == State::HalfOpen && !m_probeInFlight))},
        {QStringLiteral("consecutive_failures"), m_consecutive},
        {QStringLiteral("recent_failures"), failed},
        {QStringLiteral("recent_samples"), int(m_windowCount)},
        {QStringLiteral("successes"), double(m_successes)},
        {QStringLiteral("failures"), double(m_failures)},
        {QStringLiteral("times_opened"), double(m_opens)},
        {QStringLiteral("open_until"), s == State::Open ? TimeFormat::json(m_openUntilMs) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("rate_limited_until"), nowMs < m_rateLimitedUntilMs ? TimeFormat::json(m_rateLimitedUntilMs) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("last_error"), m_lastError.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m_lastError)},
        {QStringLiteral("last_error_at"), m_lastErrorAtMs ? TimeFormat::json(m_lastErrorAtMs) : QJsonValue(QJsonValue::Null)},
    };
    return o;
}

} // namespace gw
