#pragma once

#include "relay/usagerecord.h"

#include <chrono>
#include <deque>
#include <mutex>
#include <vector>

namespace gw {

// Usage records on their way to the database, shared by the HTTP threads
// that add them, the writer job that takes them and the recorder that
// retries after a failure. It decides when a flush job is needed: at most
// one is queued at a time, and none while a retry waits out an outage, so a
// burst of calls costs one writer job and a dead database is not hammered.
// Records taken by a job stay counted ("in flight") until the job's commit
// or failure is known; a failed job's records go back in front of the newer
// ones. Past `capacity` waiting records the oldest are dropped.
class UsageBacklog
{
public:
    explicit UsageBacklog(size_t capacity);

    // True when the caller must queue a flush job.
    bool add(UsageRecord record);
    // For the flush job on the writer thread: up to `max` of the oldest
    // records. After this a new add() queues the next job.
    std::vector<UsageRecord> take(size_t max);
    // Records the database refused one by one: they leave the flight.
    void refused(size_t count);
    // A job's records are committed, which also ends a wait for a retry.
    // True when records are waiting and the caller must queue a flush.
    bool committed(size_t count);
    // A job failed as a whole: `records` (what it took, empty if it never
    // ran) wait again. True when the caller must schedule a retry.
    bool failed(std::vector<UsageRecord> records, bool jobRan);
    // The retry's delay is over. True when the caller must queue a flush.
    bool retryDue();

    // Waiting and in flight: recorded but neither committed, refused nor dropped.
    size_t pending() const;
    quint64 added() const;
    quint64 written() const;
    quint64 rejected() const;
    quint64 dropped() const;
    quint64 flushes() const;
    quint64 failures() const;

private:
    bool claimFlush();
    size_t dropOverflow();
    void reportDrops();

    const size_t m_capacity;
    mutable std::mutex m_mutex;
    std::deque<UsageRecord> m_waiting;
    size_t m_restored = 0; // records at the front of m_waiting that a failed job gave back
    size_t m_inFlight = 0;
    bool m_flushQueued = false;
    bool m_retryWaiting = false;
    quint64 m_added = 0;
    quint64 m_written = 0;
    quint64 m_rejected = 0;
    quint64 m_dropped = 0;
    quint64 m_flushes = 0;
    quint64 m_failures = 0;
    quint64 m_droppedUnreported = 0;
    std::chrono::steady_clock::time_point m_lastDropReport;
};

} // namespace gw
