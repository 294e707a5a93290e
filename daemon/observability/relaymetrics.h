#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <array>
#include <atomic>
#include <mutex>

namespace gw {

// What the relay adds to /metrics: calls by family, model, channel and
// status; call and upstream latency histograms; attempts by outcome; open
// streams. Label sets are as many as the catalog has models and channels,
// so they live in hash maps under one short lock rather than fixed arrays.
class RelayMetrics
{
public:
    void recordCall(const QString &family, const QString &model, const QString &channel, int status, qint64 durationUs,
                    bool stream);
    void recordAttempt(const QString &channel, const QString &outcome, qint64 latencyUs);
    void streamOpened() { m_openStreams.fetch_add(1, std::memory_order_relaxed); }
    void streamClosed() { m_openStreams.fetch_sub(1, std::memory_order_relaxed); }
    qint64 openStreams() const { return m_openStreams.load(std::memory_order_relaxed); }

    QByteArray render() const;

    // A label value as Prometheus' text format wants it quoted.
    static QByteArray escapeLabel(const QString &value);

private:
    static constexpr int kBuckets = 14;
    struct Histogram
    {
        std::array<quint64, kBuckets + 1> buckets{};
        quint64 count = 0;
        qint64 sumUs = 0;
        void add(qint64 us);
    };
    static void renderHistogram(QByteArray &out, const QByteArray &name, const QByteArray &labels, const Histogram &h);
    const QByteArray &escapedLocked(const QString &value);

    mutable std::mutex m_mutex;
    QHash<QByteArray, quint64> m_calls;              // family, model, channel, status, stream
    QHash<QByteArray, Histogram> m_callDuration;     // family, model
    QHash<QByteArray, quint64> m_attempts;           // channel, outcome
    QHash<QByteArray, Histogram> m_upstreamDuration; // channel
    QHash<QString, QByteArray> m_escaped;            // label values, quoted once
    std::atomic<qint64> m_openStreams{0};
};

} // namespace gw
