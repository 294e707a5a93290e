#include "storejobqueue.h"

namespace gw {

void StoreJobQueue::push(StoreJob job)
{
    {
        std::lock_guard lock(m_mutex);
        if (!job.background)
            ++m_urgent;
        m_jobs.push_back(std::move(job));
    }
    m_ready.notify_one();
}

std::vector<StoreJob> StoreJobQueue::take(size_t max, std::chrono::steady_clock::time_point notBefore)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_jobs.empty()) {
            if (m_closed)
                return {};
            m_ready.wait(lock);
            continue;
        }
        if (m_urgent > 0 || m_closed || std::chrono::steady_clock::now() >= notBefore)
            break;
        m_ready.wait_until(lock, notBefore);
    }
    std::vector<StoreJob> out;
    const size_t n = std::min(max, m_jobs.size());
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        if (!m_jobs.front().background)
            --m_urgent;
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
