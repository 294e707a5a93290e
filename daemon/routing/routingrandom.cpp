#include "routingrandom.h"

#include <atomic>

namespace gw {

namespace {
std::atomic<bool> g_seeded{false};
std::atomic<quint64> g_seed{0};
std::atomic<quint64> g_threads{0};
}

void RoutingRandom::setSeed(quint64 seed)
{
    g_seed.store(seed);
    g_seeded.store(true);
}

std::mt19937_64 &RoutingRandom::forThisThread()
{
    thread_local std::mt19937_64 rng{g_seeded.load() ? g_seed.load() + 0x9E3779B97F4A7C15ULL * g_threads.fetch_add(1)
                                                     : std::random_device{}()};
    return rng;
}

} // namespace gw
