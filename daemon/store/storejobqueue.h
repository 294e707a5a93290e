#pragma once

#include "storejob.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace gw {

// A closable queue of store jobs shared by producers (any thread) and the
// store threads that drain it.
class StoreJobQueue
{
public:
    void push(StoreJob job);
    // Blocks until jobs arrive or the queue is closed and empty; takes up to
    // `max`. Jobs that are all background are not taken before `notBefore`;
    // a job someone waits for is taken at once, with whatever waits with it.
    std::vector<StoreJob> take(size_t max,
                               std::chrono::steady_clock::time_point notBefore = std::chrono::steady_clock::time_point());
    void close();
    size_t size() const;

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<StoreJob> m_jobs;
    size_t m_urgent = 0; // queued jobs that are not background
    bool m_closed = false;
};

} // namespace gw
