#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

namespace gw {

// Gives freed heap back to the system once a burst of load has passed.
// glibc keeps what thousands of streams freed (their buffers, sessions,
// curl handles) in its per-thread arenas, so without this the daemon's RSS
// stays at its peak long after the streams end. Every few seconds it looks
// at the load (open client connections); when that has fallen to a quarter
// of its peak since the last trim, it trims (malloc_trim) once.
class MemoryTrimmer : public QObject
{
public:
    using LoadProbe = std::function<qint64()>;
    using Trim = std::function<void()>;

    // `trim` defaults to malloc_trim(0).
    MemoryTrimmer(LoadProbe load, int intervalMs, QObject *parent = nullptr, Trim trim = {});

    // One look at the load; the timer calls it, and tests do.
    void check();
    int trims() const { return m_trims; }

private:
    LoadProbe m_load;
    Trim m_trim;
    QTimer m_timer;
    qint64 m_peak = 0;
    int m_trims = 0;
};

} // namespace gw
