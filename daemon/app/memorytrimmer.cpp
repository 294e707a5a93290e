#include "memorytrimmer.h"

#include <malloc.h>

namespace gw {

namespace {
// Below this peak a burst is too small to have left much behind.
constexpr qint64 kSmallestPeak = 64;
}

MemoryTrimmer::MemoryTrimmer(LoadProbe load, int intervalMs, QObject *parent, Trim trim)
    : QObject(parent)
    , m_load(std::move(load))
    , m_trim(trim ? std::move(trim) : Trim([] { malloc_trim(0); }))
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { check(); });
    m_timer.start();
}

void MemoryTrimmer::check()
{
    const qint64 now = m_load();
    m_peak = qMax(m_peak, now);
    if (m_peak >= kSmallestPeak && now * 4 <= m_peak) {
        m_trim();
        ++m_trims;
        m_peak = now;
    }
}

} // namespace gw
