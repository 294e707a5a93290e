#include "usagebacklog.h"

#include "observability/logger.h"

#include <iterator>

namespace gw {

namespace {
// Drops come in floods when they come; one line a second says enough.
constexpr auto kDropReportInterval = std::chrono::seconds(1);
} // namespace

UsageBacklog::UsageBacklog(size_t capacity)
    : m_capacity(qMax<size_t>(1, capacity))
{
}

bool UsageBacklog::add(UsageRecord record)
{
    UsageRecord overflow; // destroyed outside the lock
    bool queue = false;
    bool dropped = false;
    {
        std::lock_guard lock(m_mutex);
        ++m_added;
        m_waiting.push_back(std::move(record));
        if (m_waiting.size() > m_capacity) {
            overflow = std::move(m_waiting.front());
            m_waiting.pop_front();
            if (m_restored > 0)
                --m_restored;
            ++m_dropped;
            ++m_droppedUnreported;
            dropped = true;
        }
        queue = claimFlush();
    }
    if (dropped)
        reportDrops();
    return queue;
}

std::vector<UsageRecord> UsageBacklog::take(size_t max)
{
    std::deque<UsageRecord> taken;
    {
        std::lock_guard lock(m_mutex);
        m_flushQueued = false;
        m_restored = 0;
        if (m_waiting.size() <= max) {
            taken.swap(m_waiting);
        } else {
            for (size_t i = 0; i < max; ++i) {
                taken.push_back(std::move(m_waiting.front()));
                m_waiting.pop_front();
            }
        }
        m_inFlight += taken.size();
    }
    return {std::make_move_iterator(taken.begin()), std::make_move_iterator(taken.end())};
}

void UsageBacklog::refused(size_t count)
{
    std::lock_guard lock(m_mutex);
    m_inFlight -= count;
    m_rejected += count;
}

bool UsageBacklog::committed(size_t count)
{
    std::lock_guard lock(m_mutex);
    m_inFlight -= count;
    m_written += count;
    ++m_flushes;
    // The database took a job, so it is back: no need to wait for the timer.
    m_retryWaiting = false;
    return claimFlush();
}

bool UsageBacklog::failed(std::vector<UsageRecord> records, bool jobRan)
{
    std::deque<UsageRecord> overflow; // destroyed outside the lock
    bool retry = false;
    {
        std::lock_guard lock(m_mutex);
        m_inFlight -= records.size();
        ++m_failures;
        if (!jobRan)
            m_flushQueued = false; // it was the queued job, and it is gone
        // Behind the records other failed jobs gave back since the last
        // take, which are older: the deque stays in recording order, so the
        // oldest are the ones dropped.
        m_waiting.insert(m_waiting.begin() + qsizetype(m_restored), std::make_move_iterator(records.begin()),
                         std::make_move_iterator(records.end()));
        m_restored += records.size();
        while (m_waiting.size() > m_capacity) {
            overflow.push_back(std::move(m_waiting.front()));
            m_waiting.pop_front();
            if (m_restored > 0)
                --m_restored;
            ++m_dropped;
            ++m_droppedUnreported;
        }
        if (!m_retryWaiting) {
            m_retryWaiting = true;
            retry = true;
        }
    }
    reportDrops();
    return retry;
}

bool UsageBacklog::retryDue()
{
    reportDrops(); // the last drops of a flood, which no later drop reports
    std::lock_guard lock(m_mutex);
    m_retryWaiting = false;
    return claimFlush();
}

bool UsageBacklog::claimFlush()
{
    if (m_flushQueued || m_retryWaiting || m_waiting.empty())
        return false;
    m_flushQueued = true;
    return true;
}

void UsageBacklog::reportDrops()
{
    quint64 count = 0;
    quint64 total = 0;
    {
        std::lock_guard lock(m_mutex);
        const auto now = std::chrono::steady_clock::now();
        if (m_droppedUnreported == 0 || now - m_lastDropReport < kDropReportInterval)
            return;
        m_lastDropReport = now;
        count = m_droppedUnreported;
        total = m_dropped;
        m_droppedUnreported = 0;
    }
    Logger::error("usage records dropped: the database has not taken them and the backlog is full",
                  {{"dropped", qint64(count)}, {"dropped_total", qint64(total)}, {"capacity", qint64(m_capacity)}});
}

size_t UsageBacklog::pending() const
{
    std::lock_guard lock(m_mutex);
    return m_waiting.size() + m_inFlight;
}

quint64 UsageBacklog::added() const
{
    std::lock_guard lock(m_mutex);
    return m_added;
}

quint64 UsageBacklog::written() const
{
    std::lock_guard lock(m_mutex);
    return m_written;
}

quint64 UsageBacklog::rejected() const
{
    std::lock_guard lock(m_mutex);
    return m_rejected;
}

quint64 UsageBacklog::dropped() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

quint64 UsageBacklog::flushes() const
{
    std::lock_guard lock(m_mutex);
    return m_flushes;
}

quint64 UsageBacklog::failures() const
{
    std::lock_guard lock(m_mutex);
    return m_failures;
}

} // namespace gw
