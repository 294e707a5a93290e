#include "usagerecorder.h"

#include "common/timeformat.h"
#include "http/httprequest.h"
#include "observability/logger.h"
#include "store/store.h"
#include "store/usagebacklog.h"
#include "store/usagerepository.h"

#include <QTimer>

namespace gw {

// What one flush job took. Written on the writer thread while the job runs,
// read on the recorder's thread by the completion posted after it.
struct UsageRecorder::Flush
{
    std::vector<UsageRecord> records;
    bool ran = false;
};

UsageRecorder::UsageRecorder(Store &store, const PayloadPolicy &policy, const UsageWritePolicy &writes)
    : m_store(store)
    , m_policy(policy)
    , m_writes(writes)
    , m_backlog(std::make_shared<UsageBacklog>(writes.maxPending))
    , m_context(std::make_unique<QObject>())
    , m_retryDelayMs(writes.retryMinMs)
{
}

// Out of line: UsageBacklog is incomplete in the header.
UsageRecorder::~UsageRecorder() = default;

bool UsageRecorder::storesPayloadFor(const std::optional<bool> &keySetting) const
{
    return keySetting.value_or(m_policy.storeByDefault);
}

QByteArray UsageRecorder::cap(const QByteArray &body, bool *truncated) const
{
    *truncated = body.size() > m_policy.capBytes;
    if (!*truncated)
        return body;
    // Cut on a UTF-8 boundary so that the stored text stays valid.
    qsizetype end = m_policy.capBytes;
    while (end > 0 && (static_cast<unsigned char>(body.at(end)) & 0xC0) == 0x80)
        --end;
    return body.left(end);
}

void UsageRecorder::recordRefusal(const HttpRequest &request, const ApiKeyRecord &key, const QString &family,
                                  const QString &endpoint, const QString &model, const ApiError &error)
{
    UsageRecord r;
    r.requestId = request.requestId;
    r.createdAtMs = TimeFormat::nowMs();
    r.userId = key.userId;
    r.keyId = key.id;
    r.projectId = key.projectId;
    r.family = family;
    r.endpoint = endpoint;
    r.model = model;
    r.status = error.status;
    r.errorCode = error.code;
    r.errorMessage = error.message;
    r.clientIp = request.peer.toString();
    r.userAgent = QString::fromUtf8(request.header("user-agent"));
    r.storePayload = storesPayloadFor(key.storePayloads);
    if (r.storePayload)
        r.requestBody = cap(request.body, &r.requestTruncated);
    record(std::move(r));
}

void UsageRecorder::record(UsageRecord record)
{
    if (m_backlog->add(std::move(record)))
        queueFlush();
}

// A store write rather than writeDetached: only the completion learns whether
// the batch's COMMIT went through, and a failed one must give its records back.
void UsageRecorder::queueFlush()
{
    auto flush = std::make_shared<Flush>();
    m_store.writeInBackground<int>(
        m_context.get(),
        [flush, backlog = m_backlog, max = m_writes.maxPerFlush](SqlSession &s) {
            // Taken now, on the writer thread, not when the job was queued:
            // everything recorded meanwhile rides along.
            flush->records = backlog->take(max);
            flush->ran = true;
            std::vector<UsageRepository::Rejection> rejections;
            auto settleRejections = [&] {
                for (const UsageRepository::Rejection &r : rejections) {
                    // The error names the statement and the key, never a body.
                    Logger::error("usage record not stored",
                                  {{"request_id", r.requestId}, {"error", r.error.message().left(300)}});
                }
                backlog->refused(rejections.size());
            };
            try {
                UsageRepository::insertMany(s, flush->records, &rejections);
            } catch (const StoreError &) {
                settleRejections();
                throw;
            }
            settleRejections();
            return int(flush->records.size());
        },
        [this, flush](Outcome<int> outcome) {
            if (outcome.ok())
                flushCommitted(flush->records.size());
            else
                flushFailed(outcome.error(), *flush);
        });
}

void UsageRecorder::drainForShutdown()
{
    // The event loop has stopped: completions would never run, so the rest
    // is written here, waiting for each batch.
    for (int round = 0; round < 10'000; ++round) {
        auto written = m_store.writeAndWait<size_t>([backlog = m_backlog, max = m_writes.maxPerFlush](SqlSession &s) {
            std::vector<UsageRecord> records = backlog->take(max);
            std::vector<UsageRepository::Rejection> rejections;
            UsageRepository::insertMany(s, records, &rejections);
            for (const UsageRepository::Rejection &r : rejections)
                Logger::error("usage record not stored", {{"request_id", r.requestId}, {"error", r.error.message().left(300)}});
            backlog->refused(rejections.size());
            return records.size();
        });
        if (!written.ok()) {
            Logger::error("usage rows lost at shutdown", {{"error", written.error().message().left(300)}});
            return;
        }
        if (written.value() == 0)
            return;
        m_backlog->committed(written.value());
    }
}

void UsageRecorder::flushCommitted(size_t count)
{
    m_retryDelayMs = m_writes.retryMinMs;
    // A partial take (a backlog larger than one job) continues here.
    if (m_backlog->committed(count))
        queueFlush();
}

void UsageRecorder::flushFailed(const StoreError &error, Flush &flush)
{
    const qint64 count = qint64(flush.records.size());
    if (!m_backlog->failed(std::move(flush.records), flush.ran))
        return; // a retry is already scheduled
    Logger::error("usage rows not written, retrying",
                  {{"records", count}, {"retry_ms", m_retryDelayMs}, {"error", error.message().left(300)}});
    QTimer::singleShot(m_retryDelayMs, m_context.get(), [this] {
        if (m_backlog->retryDue())
            queueFlush();
    });
    m_retryDelayMs = qMin(m_retryDelayMs * 2, m_writes.retryMaxMs);
}

quint64 UsageRecorder::recorded() const
{
    return m_backlog->added();
}

quint64 UsageRecorder::written() const
{
    return m_backlog->written();
}

quint64 UsageRecorder::rejected() const
{
    return m_backlog->rejected();
}

quint64 UsageRecorder::dropped() const
{
    return m_backlog->dropped();
}

quint64 UsageRecorder::flushes() const
{
    return m_backlog->flushes();
}

quint64 UsageRecorder::flushFailures() const
{
    return m_backlog->failures();
}

size_t UsageRecorder::pending() const
{
    return m_backlog->pending();
}

} // namespace gw
