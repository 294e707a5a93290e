#include "usagerepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral(
    "request_id, created_at, user_id, key_id, project_id, family, endpoint, model, upstream_model, channel_id, status, "
    "error_code, error_message, stream, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, "
    "reasoning_tokens, estimated, latency_ms, ttfb_ms, attempts, finish_reason, cut_reason, delivered_bytes, "
    "delivered_chars, credits, upstream_cost, upstream_request_id, client_ip, user_agent, prices");

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
    return r;
}

QVariant text(const QString &s)
{
    return SqlValues::nullableText(s);
}

} // namespace

QString UsageRepository::requestIdBound(qint64 ms)
{
    return QStringLiteral("req_") + QString::number(quint64(qMax<qint64>(0, ms)), 16).rightJustified(12, QLatin1Char('0'));
}

void UsageRepository::insert(SqlSession &s, const UsageRecord &r)
{
    s.exec(QStringLiteral("INSERT INTO usage_records (") + kColumns
               + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           {QString::fromLatin1(r.requestId), r.createdAtMs, text(r.userId), text(r.keyId), text(r.projectId), r.family,
            r.endpoint, text(r.model), text(r.upstreamModel), text(r.channelId), r.status, text(r.errorCode),
            text(r.errorMessage.left(1000)), SqlValues::flag(r.stream), r.promptTokens, r.completionTokens, r.cachedTokens,
            r.cacheWriteTokens, r.reasoningTokens, SqlValues::flag(r.estimated), r.latencyMs, SqlValues::nullableInt(r.ttfbMs),
            int(r.attempts.size()), text(r.finishReason), text(r.cutReason), r.deliveredBytes, r.deliveredChars, r.credits,
            r.upstreamCost, text(r.upstreamRequestId), text(r.clientIp), text(r.userAgent.left(300)),
            text(QString::fromUtf8(r.prices))});
    for (const AttemptRecord &a : r.attempts) {
        s.exec(QStringLiteral("INSERT INTO usage_attempts (request_id, attempt, started_at, channel_id, model, upstream_model, "
                              "status, error_class, error_message, latency_ms, ttfb_ms, upstream_request_id) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
               {QString::fromLatin1(r.requestId), a.attempt, a.startedAtMs, a.channelId, text(a.model), text(a.upstreamModel),
                a.status, a.errorClass, text(a.errorMessage.left(1000)), a.latencyMs, SqlValues::nullableInt(a.ttfbMs),
                text(a.upstreamRequestId)});
    }
    if (r.storePayload) {
        s.exec(QStringLiteral("INSERT INTO usage_payloads (request_id, request_body, response_body, request_truncated, "
                              "response_truncated, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
               {QString::fromLatin1(r.requestId), QString::fromUtf8(r.requestBody), QString::fromUtf8(r.responseBody),
                SqlValues::flag(r.requestTruncated), SqlValues::flag(r.responseTruncated), r.createdAtMs});
    }
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
