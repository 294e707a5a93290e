#include "relaymetrics.h"

#include <QList>

#include <algorithm>

namespace gw {

namespace {
constexpr double kBoundsSeconds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

template <typename Map>
QList<QByteArray> sortedKeys(const Map &map)
{
    QList<QByteArray> keys = map.keys();
    std::sort(keys.begin(), keys.end());
    return keys;
}
} // namespace

QByteArray RelayMetrics::escapeLabel(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size() + 2);
    out.append('"');
    for (char c : utf8) {
        if (c == '\\' || c == '"')
            out.append('\\').append(c);
        else if (c == '\n')
            out.append("\\n");
        else
            out.append(c);
    }
    out.append('"');
    return out;
}

void RelayMetrics::Histogram::add(qint64 us)
{
    const double seconds = double(qMax<qint64>(0, us)) / 1e6;
    int bucket = kBuckets;
    for (int i = 0; i < kBuckets; ++i) {
        if (seconds <= kBoundsSeconds[i]) {
            bucket = i;
            break;
        }
    }
    ++buckets[size_t(bucket)];
    ++count;
    sumUs += qMax<qint64>(0, us);
}

const QByteArray &RelayMetrics::escapedLocked(const QString &value)
{
    auto it = m_escaped.constFind(value);
    if (it != m_escaped.cend())
        return *it;
    if (m_escaped.size() > 20'000)
        m_escaped.clear(); // a bound, should ids churn
    return *m_escaped.insert(value, escapeLabel(value));
}

void RelayMetrics::recordCall(const QString &family, const QString &model, const QString &channel, int status, qint64 durationUs,
                              bool stream)
{
    std::lock_guard lock(m_mutex);
    QByteArray byModel = "family=" + escapedLocked(family) + ",model=" + escapedLocked(model);
    const QByteArray full = byModel + ",channel=" + escapedLocked(channel) + ",status=\"" + QByteArray::number(status)
                            + "\",stream=\"" + (stream ? "true" : "false") + '"';
    ++m_calls[full];
    m_callDuration[byModel].add(durationUs);
}

void RelayMetrics::recordAttempt(const QString &channel, const QString &outcome, qint64 latencyUs)
{
    std::lock_guard lock(m_mutex);
    const QByteArray byChannel = "channel=" + escapedLocked(channel);
    const QByteArray full = byChannel + ",outcome=" + escapedLocked(outcome);
    ++m_attempts[full];
    m_upstreamDuration[byChannel].add(latencyUs);
}

void RelayMetrics::renderHistogram(QByteArray &out, const QByteArray &name, const QByteArray &labels, const Histogram &h)
{
    quint64 cumulative = 0;
    for (int i = 0; i < kBuckets; ++i) {
        cumulative += h.buckets[size_t(i)];
        out += name + "_bucket{" + labels + ",le=\"" + QByteArray::number(kBoundsSeconds[i]) + "\"} "
               + QByteArray::number(cumulative) + '\n';
    }
    cumulative += h.buckets[kBuckets];
    out += name + "_bucket{" + labels + ",le=\"+Inf\"} " + QByteArray::number(cumulative) + '\n';
    out += name + "_sum{" + labels + "} " + QByteArray::number(double(h.sumUs) / 1e6, 'f', 6) + '\n';
    out += name + "_count{" + labels + "} " + QByteArray::number(h.count) + '\n';
}

QByteArray RelayMetrics::render() const
{
    QByteArray out;
    std::lock_guard lock(m_mutex);
    out += "# HELP gateway_relay_calls_total Relayed calls, by caller family, model, the channel that answered last, status and streaming.\n"
           "# TYPE gateway_relay_calls_total counter\n";
    for (const QByteArray &k : sortedKeys(m_calls))
        out += "gateway_relay_calls_total{" + k + "} " + QByteArray::number(m_calls.value(k)) + '\n';
    out += "# HELP gateway_relay_call_duration_seconds Relayed calls from the request to the last byte, by family and model.\n"
           "# TYPE gateway_relay_call_duration_seconds histogram\n";
    for (const QByteArray &k : sortedKeys(m_callDuration))
        renderHistogram(out, "gateway_relay_call_duration_seconds", k, m_callDuration.value(k));
    out += "# HELP gateway_upstream_attempts_total Upstream attempts, by channel and outcome (ok or the failure class).\n"
           "# TYPE gateway_upstream_attempts_total counter\n";
    for (const QByteArray &k : sortedKeys(m_attempts))
        out += "gateway_upstream_attempts_total{" + k + "} " + QByteArray::number(m_attempts.value(k)) + '\n';
    out += "# HELP gateway_upstream_duration_seconds Upstream attempts from their start to their end, by channel.\n"
           "# TYPE gateway_upstream_duration_seconds histogram\n";
    for (const QByteArray &k : sortedKeys(m_upstreamDuration))
        renderHistogram(out, "gateway_upstream_duration_seconds", k, m_upstreamDuration.value(k));
    out += "# HELP gateway_relay_open_streams Streams being relayed now.\n"
           "# TYPE gateway_relay_open_streams gauge\n"
           "gateway_relay_open_streams "
           + QByteArray::number(openStreams()) + '\n';
    return out;
}

} // namespace gw
