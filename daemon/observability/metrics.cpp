#include "metrics.h"

#include <QStringBuilder>

namespace gw {

namespace {

constexpr double kBucketBoundsSeconds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

const char *familyName(int i)
{
    switch (ApiFamily(i)) {
    case ApiFamily::OpenAI: return "openai";
    case ApiFamily::Anthropic: return "anthropic";
    case ApiFamily::Gemini: return "gemini";
    case ApiFamily::Tasks: return "tasks";
    case ApiFamily::Admin: return "admin";
    case ApiFamily::Operations: return "operations";
    }
    return "other";
}

} // namespace

Metrics::Metrics()
{
    for (auto &row : m_requests)
        for (auto &c : row)
            c.store(0);
    for (auto &b : m_latencyBuckets)
        b.store(0);
}

void Metrics::recordAccess(const HttpAccessRecord &record)
{
    const int family = qBound(0, int(record.family), kFamilies - 1);
    const int cls = qBound(0, record.status / 100 - 1, kStatusClasses - 1);
    m_requests[size_t(family)][size_t(cls)].fetch_add(1, std::memory_order_relaxed);
    if (record.refusedByGuard)
        m_guardRefusals.fetch_add(1, std::memory_order_relaxed);
    const double seconds = double(record.durationUs) / 1e6;
    int bucket = kBuckets;
    for (int i = 0; i < kBuckets; ++i) {
        if (seconds <= kBucketBoundsSeconds[i]) {
            bucket = i;
            break;
        }
    }
    m_latencyBuckets[size_t(bucket)].fetch_add(1, std::memory_order_relaxed);
    m_latencySumUs.fetch_add(quint64(qMax<qint64>(0, record.durationUs)), std::memory_order_relaxed);
    m_latencyCount.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::addSection(Section section)
{
    m_sections.append(std::move(section));
}

void Metrics::addGauge(const QByteArray &name, const QByteArray &help, Gauge gauge)
{
    m_gauges.append({name, help, std::move(gauge)});
}

QByteArray Metrics::render() const
{
    QByteArray out;
    out += "# HELP gateway_http_requests_total HTTP requests answered, by API family and status class.\n"
           "# TYPE gateway_http_requests_total counter\n";
    for (int f = 0; f < kFamilies; ++f) {
        for (int c = 0; c < kStatusClasses; ++c) {
            out += QByteArray("gateway_http_requests_total{family=\"") + familyName(f) + "\",status=\""
                   + QByteArray::number(c + 1) + "xx\"} "
                   + QByteArray::number(m_requests[size_t(f)][size_t(c)].load(std::memory_order_relaxed)) + '\n';
        }
    }
    out += "# HELP gateway_http_guard_refusals_total Requests refused by the HTTP front's guards (413, 431, 408, 400).\n"
           "# TYPE gateway_http_guard_refusals_total counter\n"
           "gateway_http_guard_refusals_total "
           + QByteArray::number(m_guardRefusals.load()) + '\n';
    out += "# HELP gateway_http_request_duration_seconds Time from a request's head to its last byte queued.\n"
           "# TYPE gateway_http_request_duration_seconds histogram\n";
    quint64 cumulative = 0;
    for (int i = 0; i < kBuckets; ++i) {
        cumulative += m_latencyBuckets[size_t(i)].load(std::memory_order_relaxed);
        out += "gateway_http_request_duration_seconds_bucket{le=\"" + QByteArray::number(kBucketBoundsSeconds[i])
               + "\"} " + QByteArray::number(cumulative) + '\n';
    }
    cumulative += m_latencyBuckets[kBuckets].load(std::memory_order_relaxed);
    out += "gateway_http_request_duration_seconds_bucket{le=\"+Inf\"} " + QByteArray::number(cumulative) + '\n';
    out += "gateway_http_request_duration_seconds_sum "
           + QByteArray::number(double(m_latencySumUs.load()) / 1e6, 'f', 6) + '\n';
    out += "gateway_http_request_duration_seconds_count " + QByteArray::number(m_latencyCount.load()) + '\n';
    for (const NamedGauge &g : m_gauges) {
        out += "# HELP " + g.name + ' ' + g.help + "\n# TYPE " + g.name + " gauge\n";
        out += g.name + ' ' + QByteArray::number(g.gauge(), 'g', 15) + '\n';
    }
    out += m_relay.render();
    for (const Section &section : m_sections)
        out += section();
    return out;
}

} // namespace gw
