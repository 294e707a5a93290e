#include "storejobqueue.h"

namespace gw {

void StoreJobQueue::push(StoreJob job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_ready.notify_one();
}

std::vector<StoreJob> StoreJobQueue::take(size_t max)
{
    std::unique_lock lock(m_mutex);
    m_ready.wait(lock, [this] { return !m_jobs.empty() || m_closed; });
    std::vector<StoreJob> out;
    const size_t n = std::min(max, m_jobs.size());
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        out.push_back(std::move(m_jobs.front()));
        m_jobs.pop_front();
    }
    return out;
}

void StoreJobQueue::close()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_ready.notify_all();
}

size_t StoreJobQueue::size() const
{
    std::lock_guard lock(m_mutex);
    return m_jobs.size();
}

} // namespace gw
