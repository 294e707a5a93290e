#pragma once

#include "payloadpolicy.h"
#include "access/apikeyrecord.h"
#include "common/serviceerror.h"
#include "http/apierror.h"
#include "usagerecord.h"

#include <QObject>

#include <memory>
#include <optional>

namespace gw {

class HttpRequest;
class Store;
class UsageBacklog;

// How usage rows reach the writer.
struct UsageWritePolicy
{
    // Records held while the database cannot take them; past this the
    // oldest are dropped (and counted).
    size_t maxPending = 200'000;
    // Records one writer job takes: a backlog drains in steps, so other
    // writes (holds, charges) never wait behind one long job.
    size_t maxPerFlush = 4096;
    // The wait after a failed flush, doubled on each further failure.
    int retryMinMs = 250;
    int retryMaxMs = 5000;
};

// Writes usage rows (with attempts and, by policy, capped bodies) through
// the store's writer. Fire and forget: the caller has its answer. Records
// are coalesced: record() only appends to a backlog, and one writer job
// takes everything waiting when it runs and writes it with multi-row
// INSERTs, so a burst of calls costs one job. A job that fails as a whole
// (the database is down) gives its records back; they are retried after a
// delay. Flush completions and retries run on the thread that built the
// recorder, which must run an event loop (the main thread).
class UsageRecorder
{
public:
    UsageRecorder(Store &store, const PayloadPolicy &policy, const UsageWritePolicy &writes = {});
    ~UsageRecorder();
    UsageRecorder(const UsageRecorder &) = delete;
    UsageRecorder &operator=(const UsageRecorder &) = delete;

    const PayloadPolicy &policy() const { return m_policy; }
    bool storesPayloadFor(const std::optional<bool> &keySetting) const;
    // Caps a body to the policy's size; says whether it cut.
    QByteArray cap(const QByteArray &body, bool *truncated) const;

    // Any thread; never waits for the database.
    void record(UsageRecord record);
    // A call refused before it reached the relay (rate limit, scope, block,
    // bad body) by a known key: support staff see it beside the others.
    void recordRefusal(const HttpRequest &request, const ApiKeyRecord &key, const QString &family, const QString &endpoint,
                       const QString &model, const ApiError &error);

    // Shutdown, after the event loop: writes whatever still waits, blocking.
    void drainForShutdown();

    // Counters for /metrics and tests. Every recorded record ends up
    // written, rejected or dropped; until then it is pending.
    quint64 recorded() const;
    quint64 written() const;       // committed
    quint64 rejected() const;      // refused by the database on its own (a duplicate request id)
    quint64 dropped() const;       // the oldest, when the backlog was full
    quint64 flushes() const;       // writer jobs that committed usage rows
    quint64 flushFailures() const; // writer jobs that failed as a whole (their records were retried)
    size_t pending() const;        // waiting for the writer or being written

private:
    struct Flush;

    void queueFlush();
    void flushCommitted(size_t count);
    void flushFailed(const StoreError &error, Flush &flush);

    Store &m_store;
    PayloadPolicy m_policy;
    UsageWritePolicy m_writes;
    std::shared_ptr<UsageBacklog> m_backlog;
    // Receives flush completions and owns the retry timer, on the thread
    // that built the recorder.
    std::unique_ptr<QObject> m_context;
    int m_retryDelayMs;
};

} // namespace gw
