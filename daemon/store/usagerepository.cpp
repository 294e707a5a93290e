#include "usagerepository.h"

#include "multirowinsert.h"
#include "sqlsession.h"
#include "sqlvalues.h"

#include <utility>

namespace gw {

namespace {

const QString kColumns = QStringLiteral(
    "request_id, created_at, user_id, key_id, project_id, family, endpoint, model, upstream_model, channel_id, status, "
    "error_code, error_message, stream, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, "
    "reasoning_tokens, estimated, latency_ms, ttfb_ms, attempts, finish_reason, cut_reason, delivered_bytes, "
    "delivered_chars, credits, upstream_cost, upstream_request_id, client_ip, user_agent, prices, images");

UsageRecord fromQuery(const QSqlQuery &q)
{
    UsageRecord r;
    int i = 0;
    r.requestId = q.value(i++).toString().toLatin1();
    r.createdAtMs = q.value(i++).toLongLong();
    r.userId = q.value(i++).toString();
    r.keyId = q.value(i++).toString();
    r.projectId = q.value(i++).toString();
    r.family = q.value(i++).toString();
    r.endpoint = q.value(i++).toString();
    r.model = q.value(i++).toString();
    r.upstreamModel = q.value(i++).toString();
    r.channelId = q.value(i++).toString();
    r.status = q.value(i++).toInt();
    r.errorCode = q.value(i++).toString();
    r.errorMessage = q.value(i++).toString();
    r.stream = q.value(i++).toInt() != 0;
    r.promptTokens = q.value(i++).toLongLong();
    r.completionTokens = q.value(i++).toLongLong();
    r.cachedTokens = q.value(i++).toLongLong();
    r.cacheWriteTokens = q.value(i++).toLongLong();
    r.reasoningTokens = q.value(i++).toLongLong();
    r.estimated = q.value(i++).toInt() != 0;
    r.latencyMs = q.value(i++).toLongLong();
    r.ttfbMs = SqlValues::toOptionalInt(q.value(i++));
    i++; // attempts count: the attempt rows are read separately
    r.finishReason = q.value(i++).toString();
    r.cutReason = q.value(i++).toString();
    r.deliveredBytes = q.value(i++).toLongLong();
    r.deliveredChars = q.value(i++).toLongLong();
    r.credits = q.value(i++).toLongLong();
    r.upstreamCost = q.value(i++).toLongLong();
    r.upstreamRequestId = q.value(i++).toString();
    r.clientIp = q.value(i++).toString();
    r.userAgent = q.value(i++).toString();
    r.prices = q.value(i++).toString().toUtf8();
    r.images = q.value(i++).toLongLong();
    return r;
}

QVariant text(const QString &s)
{
    return SqlValues::nullableText(s);
}

// UTF-8 as it came (SqlSession binds a QByteArray as text); empty is NULL.
QVariant text(const QByteArray &s)
{
    return s.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(s);
}

const QString kAttemptColumns = QStringLiteral("request_id, attempt, started_at, channel_id, model, upstream_model, status, "
                                               "error_class, error_message, latency_ms, ttfb_ms, upstream_request_id");
const QString kPayloadColumns =
    QStringLiteral("request_id, request_body, response_body, request_truncated, response_truncated, created_at");

// Records per savepoint: what one refused record sends down the slow path.
constexpr int kChunkRecords = 128;

// Rows per statement. On SQLite 128 usage rows bind 4,224 values, far under
// its limit of 32,766 (PostgreSQL takes one array per column instead, see
// MultiRowInsert); larger statements gain little. Bodies are capped at
// 64 KiB each by default, so 32 payload rows keep a statement near 4 MiB.
const MultiRowInsert &recordInserts()
{
    static const MultiRowInsert inserts(QStringLiteral("usage_records"), kColumns, 128);
    return inserts;
}

const MultiRowInsert &attemptInserts()
{
    static const MultiRowInsert inserts(QStringLiteral("usage_attempts"), kAttemptColumns, 128);
    return inserts;
}

const MultiRowInsert &payloadInserts()
{
    static const MultiRowInsert inserts(QStringLiteral("usage_payloads"), kPayloadColumns, 32);
    return inserts;
}

template <typename... Values>
void bind(QVariantList &binds, Values &&...values)
{
    (binds.emplaceBack(std::forward<Values>(values)), ...);
}

// The values of one row of each table, as insert() has always bound them.
void bindRecord(QVariantList &b, const UsageRecord &r)
{
    bind(b, r.requestId, r.createdAtMs, text(r.userId), text(r.keyId), text(r.projectId), r.family,
         r.endpoint, text(r.model), text(r.upstreamModel), text(r.channelId), r.status, text(r.errorCode),
         text(r.errorMessage.left(1000)), SqlValues::flag(r.stream), r.promptTokens, r.completionTokens, r.cachedTokens,
         r.cacheWriteTokens, r.reasoningTokens, SqlValues::flag(r.estimated), r.latencyMs, SqlValues::nullableInt(r.ttfbMs),
         int(r.attempts.size()), text(r.finishReason), text(r.cutReason), r.deliveredBytes, r.deliveredChars, r.credits,
         r.upstreamCost, text(r.upstreamRequestId), text(r.clientIp), text(r.userAgent.left(300)),
         text(r.prices), r.images);
}

void bindAttempt(QVariantList &b, const UsageRecord &r, const AttemptRecord &a)
{
    bind(b, r.requestId, a.attempt, a.startedAtMs, a.channelId, text(a.model), text(a.upstreamModel),
         a.status, a.errorClass, text(a.errorMessage.left(1000)), a.latencyMs, SqlValues::nullableInt(a.ttfbMs),
         text(a.upstreamRequestId));
}

void bindPayload(QVariantList &b, const UsageRecord &r)
{
    bind(b, r.requestId, r.requestBody, r.responseBody,
         SqlValues::flag(r.requestTruncated), SqlValues::flag(r.responseTruncated), r.createdAtMs);
}

// The rows of `count` records from `first` on, in all three tables.
void insertRecords(SqlSession &s, const UsageRecord *first, int count)
{
    std::vector<std::pair<const UsageRecord *, const AttemptRecord *>> attempts;
    std::vector<const UsageRecord *> payloads;
    attempts.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const UsageRecord &r = first[i];
        for (const AttemptRecord &a : r.attempts)
            attempts.emplace_back(&r, &a);
        if (r.storePayload)
            payloads.push_back(&r);
    }
    recordInserts().run(s, count, [first](QVariantList &b, int i) { bindRecord(b, first[i]); });
    attemptInserts().run(s, int(attempts.size()), [&attempts](QVariantList &b, int i) {
        bindAttempt(b, *attempts[size_t(i)].first, *attempts[size_t(i)].second);
    });
    payloadInserts().run(s, int(payloads.size()), [&payloads](QVariantList &b, int i) { bindPayload(b, *payloads[size_t(i)]); });
}

// Runs `work` inside a savepoint. A StoreError undoes what it wrote and
// comes back as a value; an unavailable database is thrown on, since then
// the transaction itself is lost.
template <typename Work>
std::optional<StoreError> inSavepoint(SqlSession &s, const QString &name, Work work)
{
    s.execRaw(QStringLiteral("SAVEPOINT ") + name);
    try {
        work();
    } catch (const StoreError &e) {
        if (e.kind() == StoreError::Kind::Unavailable)
            throw;
        s.execRaw(QStringLiteral("ROLLBACK TO SAVEPOINT ") + name);
        s.execRaw(QStringLiteral("RELEASE SAVEPOINT ") + name);
        return e;
    }
    s.execRaw(QStringLiteral("RELEASE SAVEPOINT ") + name);
    return std::nullopt;
}

} // namespace

QString UsageRepository::requestIdBound(qint64 ms)
{
    return QStringLiteral("req_") + QString::number(quint64(qMax<qint64>(0, ms)), 16).rightJustified(12, QLatin1Char('0'));
}

void UsageRepository::insert(SqlSession &s, const UsageRecord &r)
{
    insertRecords(s, &r, 1);
}

void UsageRepository::insertMany(SqlSession &s, std::vector<UsageRecord> &records, std::vector<Rejection> *rejected)
{
    std::vector<char> refused(records.size(), 0);
    // Refused records leave `records` even when a later chunk throws, so
    // that a retry of the batch does not meet them again.
    auto dropRefused = [&] {
        size_t kept = 0;
        for (size_t i = 0; i < records.size(); ++i) {
            if (refused[i])
                continue;
            if (kept != i)
                records[kept] = std::move(records[i]);
            ++kept;
        }
        records.resize(kept);
    };
    try {
        for (size_t start = 0; start < records.size(); start += kChunkRecords) {
            const int count = int(qMin(records.size() - start, size_t(kChunkRecords)));
            std::optional<StoreError> failure = inSavepoint(s, QStringLiteral("usage_chunk"), [&] {
                insertRecords(s, records.data() + start, count);
            });
            if (!failure)
                continue;
            // One record at a time, to find the ones at fault.
            int written = 0;
            std::vector<std::pair<size_t, StoreError>> failures;
            for (size_t i = start; i < start + size_t(count); ++i) {
                std::optional<StoreError> own = count == 1 ? failure : inSavepoint(s, QStringLiteral("usage_row"), [&] {
                    insertRecords(s, &records[i], 1);
                });
                if (own)
                    failures.emplace_back(i, *own);
                else
                    ++written;
            }
            // A duplicate is always the record's own fault. Any other error
            // that no record of the chunk escaped is the database's (a full
            // disk, a missing table): then the batch must be retried, not
            // its records thrown away.
            std::optional<StoreError> databaseFault;
            for (const auto &[index, error] : failures) {
                if (error.kind() != StoreError::Kind::Conflict && written == 0) {
                    if (!databaseFault)
                        databaseFault = error;
                    continue;
                }
                refused[index] = 1;
                rejected->push_back(Rejection{records[index].requestId, error});
            }
            if (databaseFault)
                throw *databaseFault;
        }
    } catch (const StoreError &) {
        dropRefused();
        throw;
    }
    dropRefused();
}

Page<UsageRecord> UsageRepository::list(SqlSession &s, const Filter &f, const QString &cursor, int limit)
{
    QString sql = QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM usage_records WHERE 1 = 1");
    QVariantList binds;
    if (!cursor.isEmpty()) {
        sql += QStringLiteral(" AND request_id < ?");
        binds << cursor;
    }
    if (f.fromMs) {
        sql += QStringLiteral(" AND request_id >= ?");
        binds << requestIdBound(*f.fromMs);
    }
    if (f.toMs) {
        sql += QStringLiteral(" AND request_id < ?");
        binds << requestIdBound(*f.toMs);
    }
    if (!f.userId.isEmpty()) {
        sql += QStringLiteral(" AND user_id = ?");
        binds << f.userId;
    }
    if (!f.keyId.isEmpty()) {
        sql += QStringLiteral(" AND key_id = ?");
        binds << f.keyId;
    }
    if (!f.model.isEmpty()) {
        sql += QStringLiteral(" AND model = ?");
        binds << f.model;
    }
    if (f.status) {
        sql += QStringLiteral(" AND status = ?");
        binds << *f.status;
        // The literal lets both planners prove the partial status index
        // (migration 0008) holds every row this can match.
        if (*f.status != 200)
            sql += QStringLiteral(" AND status <> 200");
    }
    sql += QStringLiteral(" ORDER BY request_id DESC LIMIT ?");
    binds << limit + 1;
    QList<UsageRecord> rows;
    QSqlQuery &q = s.exec(sql, binds);
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const UsageRecord &r) { return QString::fromLatin1(r.requestId); });
}

std::optional<UsageRecord> UsageRepository::find(SqlSession &s, const QString &requestId)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM usage_records WHERE request_id = ?"),
                          {requestId});
    if (!q.next())
        return std::nullopt;
    UsageRecord r = fromQuery(q);
    q.finish();
    QSqlQuery &a = s.exec(QStringLiteral("SELECT attempt, started_at, channel_id, model, upstream_model, status, error_class, "
                                         "error_message, latency_ms, ttfb_ms, upstream_request_id FROM usage_attempts "
                                         "WHERE request_id = ? ORDER BY attempt"),
                          {requestId});
    while (a.next()) {
        AttemptRecord at;
        at.attempt = a.value(0).toInt();
        at.startedAtMs = a.value(1).toLongLong();
        at.channelId = a.value(2).toString();
        at.model = a.value(3).toString();
        at.upstreamModel = a.value(4).toString();
        at.status = a.value(5).toInt();
        at.errorClass = a.value(6).toString();
        at.errorMessage = a.value(7).toString();
        at.latencyMs = a.value(8).toLongLong();
        at.ttfbMs = SqlValues::toOptionalInt(a.value(9));
        at.upstreamRequestId = a.value(10).toString();
        r.attempts.append(at);
    }
    a.finish();
    QSqlQuery &p = s.exec(QStringLiteral("SELECT request_body, response_body, request_truncated, response_truncated "
                                         "FROM usage_payloads WHERE request_id = ?"),
                          {requestId});
    if (p.next()) {
        r.storePayload = true;
        r.requestBody = p.value(0).toString().toUtf8();
        r.responseBody = p.value(1).toString().toUtf8();
        r.requestTruncated = p.value(2).toInt() != 0;
        r.responseTruncated = p.value(3).toInt() != 0;
    }
    return r;
}

} // namespace gw
