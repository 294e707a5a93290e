#pragma once

#include "storejob.h"

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
    // Blocks until jobs arrive or the queue is closed and empty; takes up to `max`.
    std::vector<StoreJob> take(size_t max);
    void close();
    size_t size() const;

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<StoreJob> m_jobs;
    bool m_closed = false;
};

} // namespace gw
