#include "apikeyrepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral(
    "id, user_id, project_id, name, key_hash, prefix, status, models, families, scopes, ip_allow, rpm, tpm, "
    "max_concurrency, store_payloads, expires_at, created_at, updated_at, deleted_at");

ApiKeyRecord fromQuery(const QSqlQuery &q)
{
    ApiKeyRecord k;
    k.id = q.value(0).toString();
    k.userId = q.value(1).toString();
    k.projectId = q.value(2).toString();
    k.name = q.value(3).toString();
    k.hash = q.value(4).toString().toLatin1();
    k.prefix = q.value(5).toString().toLatin1();
    k.status = q.value(6).toString();
    k.models = SqlValues::toList(q.value(7));
    k.families = SqlValues::toList(q.value(8));
    k.scopes = SqlValues::toList(q.value(9));
    k.ipAllow = SqlValues::toList(q.value(10));
    k.rpm = SqlValues::toOptionalInt(q.value(11));
    k.tpm = SqlValues::toOptionalInt(q.value(12));
    k.maxConcurrency = SqlValues::toOptionalInt(q.value(13));
    if (!q.value(14).isNull())
        k.storePayloads = q.value(14).toInt() != 0;
    k.expiresAtMs = SqlValues::toOptionalInt(q.value(15));
    k.createdAtMs = q.value(16).toLongLong();
    k.updatedAtMs = q.value(17).toLongLong();
    k.deletedAtMs = SqlValues::toOptionalInt(q.value(18));
    return k;
}

QVariantList binds(const ApiKeyRecord &k)
{
    return {k.userId,
            SqlValues::nullableText(k.projectId),
            k.name,
            QString::fromLatin1(k.hash),
            QString::fromLatin1(k.prefix),
            k.status,
            SqlValues::jsonList(k.models),
            SqlValues::jsonList(k.families),
            SqlValues::jsonList(k.scopes),
            SqlValues::jsonList(k.ipAllow),
            SqlValues::nullableInt(k.rpm),
            SqlValues::nullableInt(k.tpm),
            SqlValues::nullableInt(k.maxConcurrency),
            k.storePayloads ? QVariant(*k.storePayloads ? 1 : 0) : QVariant(QMetaType(QMetaType::Int)),
            SqlValues::nullableInt(k.expiresAtMs),
            k.createdAtMs,
            k.updatedAtMs,
            SqlValues::nullableInt(k.deletedAtMs)};
}

} // namespace

void ApiKeyRepository::insert(SqlSession &s, const ApiKeyRecord &k)
{
    QVariantList values{k.id};
    values += binds(k);
    s.run(QStringLiteral("INSERT INTO api_keys (") + kColumns
               + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           values);
}

void ApiKeyRepository::update(SqlSession &s, const ApiKeyRecord &k)
{
    QVariantList values = binds(k);
    values.append(k.id);
    s.run(QStringLiteral("UPDATE api_keys SET user_id = ?, project_id = ?, name = ?, key_hash = ?, prefix = ?, status = ?, "
                          "models = ?, families = ?, scopes = ?, ip_allow = ?, rpm = ?, tpm = ?, max_concurrency = ?, "
                          "store_payloads = ?, expires_at = ?, created_at = ?, updated_at = ?, deleted_at = ? WHERE id = ?"),
           values);
}

std::optional<ApiKeyRecord> ApiKeyRepository::find(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM api_keys WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

Page<ApiKeyRecord> ApiKeyRepository::listByUser(SqlSession &s, const QString &userId, const QString &cursor, int limit)
{
    QList<ApiKeyRecord> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM api_keys WHERE user_id = ? AND deleted_at IS NULL AND id > ? "
                                               "ORDER BY id LIMIT ?"),
                          {userId, cursor, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const ApiKeyRecord &k) { return k.id; });
}

QList<ApiKeyRecord> ApiKeyRepository::loadLive(SqlSession &s)
{
    QList<ApiKeyRecord> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM api_keys WHERE deleted_at IS NULL"));
    while (q.next())
        rows.append(fromQuery(q));
    return rows;
}

} // namespace gw
