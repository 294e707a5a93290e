#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>

namespace gw {

// An immutable value that many threads read (every request) and few replace
// (admin changes). A reader locks one of several mutexes, picked by its
// thread, so readers on different threads touch different cache lines and
// never wait for each other; a writer builds the next value outside any lock,
// then takes every stripe to swap it in (the old value is freed after).
//
// Neither std::atomic<std::shared_ptr> (libstdc++ 12 unlocks its load() with
// a relaxed store, which ThreadSanitizer rightly reports as a race with the
// next store, and every load bumps one shared reference count) nor
// std::shared_mutex (glibc prefers readers, so a busy daemon can keep a
// writer, and the event loop it runs on, waiting).
template <typename T>
class SnapshotCell
{
public:
    explicit SnapshotCell(std::shared_ptr<const T> initial)
        : m_value(std::move(initial))
    {
    }
    SnapshotCell(const SnapshotCell &) = delete;
    SnapshotCell &operator=(const SnapshotCell &) = delete;

    template <typename Read>
    auto read(Read read) const
    {
        std::lock_guard lock(m_stripes[stripeOfThisThread()].mutex);
        return read(*m_value);
    }

    // The current value, to keep past the lock (writers building the next one).
    std::shared_ptr<const T> get() const
    {
        std::lock_guard lock(m_stripes[stripeOfThisThread()].mutex);
        return m_value;
    }

    void replace(std::shared_ptr<const T> next)
    {
        for (Stripe &s : m_stripes)
            s.mutex.lock();
        m_value.swap(next);
        for (auto it = m_stripes.rbegin(); it != m_stripes.rend(); ++it)
            it->mutex.unlock();
    }

private:
    static constexpr size_t kStripes = 16;

    struct alignas(64) Stripe
    {
        std::mutex mutex;
    };

    static size_t stripeOfThisThread()
    {
        static std::atomic<size_t> next{0};
        thread_local const size_t mine = next.fetch_add(1, std::memory_order_relaxed) % kStripes;
        return mine;
    }

    mutable std::array<Stripe, kStripes> m_stripes;
    std::shared_ptr<const T> m_value;
};

} // namespace gw
