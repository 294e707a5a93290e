#pragma once

#include <QtGlobal>

#include <chrono>

namespace gw {

// Time for deadlines and latencies: never jumps with the wall clock.
inline qint64 monotonicUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

inline qint64 monotonicMs()
{
    return monotonicUs() / 1000;
}

} // namespace gw
