#pragma once

#include "http/apifamily.h"
#include "http/httpaccessrecord.h"
#include "relaymetrics.h"

#include <QByteArray>

#include <array>
#include <atomic>
#include <functional>

namespace gw {

// Process counters exported at /metrics in Prometheus' text format. Hot-path
// updates are relaxed atomic increments; gauges that other parts own (open
// connections, writer backlog) are read through callbacks at scrape time.
class Metrics
{
public:
    Metrics();

    void recordAccess(const HttpAccessRecord &record);

    using Gauge = std::function<double()>;
    void addGauge(const QByteArray &name, const QByteArray &help, Gauge gauge);

    // Families of series with labels known only at scrape time (one per
    // channel, say), rendered whole by their owner.
    using Section = std::function<QByteArray()>;
    void addSection(Section section);

    RelayMetrics &relay() { return m_relay; }

    QByteArray render() const;

private:
    static constexpr int kFamilies = 6;
    static constexpr int kStatusClasses = 5;
    static constexpr int kBuckets = 12;

    std::array<std::array<std::atomic<quint64>, kStatusClasses>, kFamilies> m_requests;
    std::array<std::atomic<quint64>, kBuckets + 1> m_latencyBuckets; // cumulative at render time
    std::atomic<quint64> m_latencySumUs{0};
    std::atomic<quint64> m_latencyCount{0};
    std::atomic<quint64> m_guardRefusals{0};
    struct NamedGauge
    {
        QByteArray name;
        QByteArray help;
        Gauge gauge;
    };
    QList<NamedGauge> m_gauges;
    QList<Section> m_sections;
    RelayMetrics m_relay;
};

} // namespace gw
