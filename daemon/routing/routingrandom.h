#pragma once

#include <QtGlobal>

#include <random>

namespace gw {

// The random source of weighted routing, one per thread. Seeded from the
// system unless --routing-seed fixes it, which makes a run with one worker
// reproducible (the weight tests rely on it).
class RoutingRandom
{
public:
    static void setSeed(quint64 seed);
    static std::mt19937_64 &forThisThread();
};

} // namespace gw
