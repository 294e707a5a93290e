#include "catalogrepository.h"

#include "common/serviceerror.h"
#include "sqlsession.h"
#include "sqlvalues.h"

#include <QJsonDocument>

namespace gw {

namespace {

const QString kChannelColumns = QStringLiteral(
    "id, name, provider, base_url, secret_ciphertext, secret_ref, types, priority, weight, timeout_ms, enabled, "
    "config, created_at, updated_at");

CatalogRepository::ChannelRow channelFromQuery(const QSqlQuery &q)
{
    CatalogRepository::ChannelRow row;
    ChannelInfo &c = row.info;
    c.id = q.value(0).toString();
    c.name = q.value(1).toString();
    c.provider = q.value(2).toString();
    c.baseUrl = q.value(3).toString();
    row.sealedSecret = q.value(4).toString().toUtf8();
    c.secretStored = !row.sealedSecret.isEmpty();
    c.secretRef = q.value(5).toString();
    c.types = SqlValues::toList(q.value(6));
    c.priority = q.value(7).toInt();
    c.weight = q.value(8).toInt();
    if (!q.value(9).isNull())
        c.timeoutMs = q.value(9).toInt();
    c.enabled = q.value(10).toInt() != 0;
    c.config = SqlValues::toObject(q.value(11));
    c.createdAtMs = q.value(12).toLongLong();
    c.updatedAtMs = q.value(13).toLongLong();
    return row;
}

const QString kModelColumns = QStringLiteral(
    "id, type, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok, per_request, per_image, "
    "per_second, fallback, max_output_tokens, enabled, display_name, description, created_at, updated_at");

ModelInfo modelFromQuery(const QSqlQuery &q)
{
    ModelInfo m;
    m.id = q.value(0).toString();
    m.type = q.value(1).toString();
    m.pricing.inputPerMtok = q.value(2).toLongLong();
    m.pricing.outputPerMtok = q.value(3).toLongLong();
    m.pricing.cacheReadPerMtok = q.value(4).toLongLong();
    m.pricing.cacheWritePerMtok = q.value(5).toLongLong();
    m.pricing.perRequest = q.value(6).toLongLong();
    m.pricing.perImage = q.value(7).toLongLong();
    m.pricing.perSecond = q.value(8).toLongLong();
    FieldErrors ignored;
    m.fallback = FallbackPolicy::fromJson(SqlValues::toObject(q.value(9)), FallbackPolicy(), ignored, QString());
    m.maxOutputTokens = SqlValues::toOptionalInt(q.value(10));
    m.enabled = q.value(11).toInt() != 0;
    m.displayName = q.value(12).toString();
    m.description = q.value(13).toString();
    m.createdAtMs = q.value(14).toLongLong();
    m.updatedAtMs = q.value(15).toLongLong();
    return m;
}

QVariantList modelBinds(const ModelInfo &m)
{
    return {m.type,
            m.pricing.inputPerMtok,
            m.pricing.outputPerMtok,
            m.pricing.cacheReadPerMtok,
            m.pricing.cacheWritePerMtok,
            m.pricing.perRequest,
            m.pricing.perImage,
            m.pricing.perSecond,
            SqlValues::jsonObject(m.fallback.toJson()),
            SqlValues::nullableInt(m.maxOutputTokens),
            SqlValues::flag(m.enabled),
            m.displayName,
            m.description,
            m.updatedAtMs};
}

void writeRoutes(SqlSession &s, const ModelInfo &m)
{
    s.run(QStringLiteral("DELETE FROM model_routes WHERE model_id = ?"), {m.id});
    int position = 0;
    for (const ModelRoute &r : m.routes) {
        s.run(QStringLiteral("INSERT INTO model_routes (model_id, position, channel_id, upstream_model, priority, weight) "
                              "VALUES (?, ?, ?, ?, ?, ?)"),
               {m.id, position++, r.channelId, r.upstreamModel,
                r.priority ? QVariant(*r.priority) : QVariant(QMetaType(QMetaType::Int)),
                r.weight ? QVariant(*r.weight) : QVariant(QMetaType(QMetaType::Int))});
    }
}

QHash<QString, QList<ModelRoute>> loadRoutes(SqlSession &s, const QString &modelId = QString())
{
    QHash<QString, QList<ModelRoute>> routes;
    QSqlQuery &q = modelId.isEmpty()
        ? s.exec(QStringLiteral("SELECT model_id, channel_id, upstream_model, priority, weight FROM model_routes "
                                "ORDER BY model_id, position"))
        : s.exec(QStringLiteral("SELECT model_id, channel_id, upstream_model, priority, weight FROM model_routes "
                                "WHERE model_id = ? ORDER BY position"),
                 {modelId});
    while (q.next()) {
        ModelRoute r;
        r.channelId = q.value(1).toString();
        r.upstreamModel = q.value(2).toString();
        if (!q.value(3).isNull())
            r.priority = q.value(3).toInt();
        if (!q.value(4).isNull())
            r.weight = q.value(4).toInt();
        routes[q.value(0).toString()].append(r);
    }
    return routes;
}

} // namespace

QList<CatalogRepository::ChannelRow> CatalogRepository::loadChannels(SqlSession &s)
{
    QList<ChannelRow> out;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kChannelColumns + QStringLiteral(" FROM channels ORDER BY id"));
    while (q.next())
        out.append(channelFromQuery(q));
    return out;
}

std::optional<CatalogRepository::ChannelRow> CatalogRepository::findChannel(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kChannelColumns + QStringLiteral(" FROM channels WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return channelFromQuery(q);
}

QList<ModelInfo> CatalogRepository::loadModels(SqlSession &s)
{
    QList<ModelInfo> out;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kModelColumns + QStringLiteral(" FROM models ORDER BY id"));
    while (q.next())
        out.append(modelFromQuery(q));
    const auto routes = loadRoutes(s);
    for (ModelInfo &m : out)
        m.routes = routes.value(m.id);
    return out;
}

std::optional<ModelInfo> CatalogRepository::findModel(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kModelColumns + QStringLiteral(" FROM models WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    ModelInfo m = modelFromQuery(q);
    q.finish();
    m.routes = loadRoutes(s, id).value(id);
    return m;
}

void CatalogRepository::insertChannel(SqlSession &s, const ChannelInfo &c, const QByteArray &sealedSecret)
{
    s.run(QStringLiteral("INSERT INTO channels (") + kChannelColumns
               + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           {c.id, c.name, c.provider, c.baseUrl, SqlValues::nullableText(QString::fromUtf8(sealedSecret)),
            SqlValues::nullableText(c.secretRef), SqlValues::jsonList(c.types), c.priority, c.weight,
            c.timeoutMs ? QVariant(*c.timeoutMs) : QVariant(QMetaType(QMetaType::Int)), SqlValues::flag(c.enabled),
            SqlValues::jsonObject(c.config), c.createdAtMs, c.updatedAtMs});
}

void CatalogRepository::updateChannel(SqlSession &s, const ChannelInfo &c, const QByteArray &sealedSecret)
{
    s.run(QStringLiteral("UPDATE channels SET name = ?, provider = ?, base_url = ?, secret_ciphertext = ?, secret_ref = ?, "
                          "types = ?, priority = ?, weight = ?, timeout_ms = ?, enabled = ?, config = ?, updated_at = ? "
                          "WHERE id = ?"),
           {c.name, c.provider, c.baseUrl, SqlValues::nullableText(QString::fromUtf8(sealedSecret)),
            SqlValues::nullableText(c.secretRef), SqlValues::jsonList(c.types), c.priority, c.weight,
            c.timeoutMs ? QVariant(*c.timeoutMs) : QVariant(QMetaType(QMetaType::Int)), SqlValues::flag(c.enabled),
            SqlValues::jsonObject(c.config), c.updatedAtMs, c.id});
}

void CatalogRepository::deleteChannel(SqlSession &s, const QString &id)
{
    s.run(QStringLiteral("DELETE FROM channels WHERE id = ?"), {id});
}

QStringList CatalogRepository::rulesNamingChannel(SqlSession &s, const QString &channelId)
{
    QStringList out;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT id FROM cost_rules WHERE channel_id = ? "
                                         "UNION ALL SELECT id FROM rate_limits WHERE scope = 'channel' AND target = ? "
                                         "ORDER BY id"),
                          {channelId, channelId});
    while (q.next())
        out.append(q.value(0).toString());
    q.finish();
    return out;
}

QStringList CatalogRepository::modelsUsingChannel(SqlSession &s, const QString &channelId)
{
    QStringList out;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT DISTINCT model_id FROM model_routes WHERE channel_id = ? ORDER BY model_id"),
                          {channelId});
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

void CatalogRepository::insertModel(SqlSession &s, const ModelInfo &m)
{
    QVariantList binds{m.id};
    binds += modelBinds(m);
    binds.insert(binds.size() - 1, m.createdAtMs); // created_at precedes updated_at
    s.run(QStringLiteral("INSERT INTO models (") + kModelColumns
               + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
           binds);
    writeRoutes(s, m);
}

void CatalogRepository::updateModel(SqlSession &s, const ModelInfo &m)
{
    QVariantList binds = modelBinds(m);
    binds.append(m.id);
    s.run(QStringLiteral("UPDATE models SET type = ?, input_per_mtok = ?, output_per_mtok = ?, cache_read_per_mtok = ?, "
                          "cache_write_per_mtok = ?, per_request = ?, per_image = ?, per_second = ?, fallback = ?, "
                          "max_output_tokens = ?, enabled = ?, display_name = ?, description = ?, updated_at = ? "
                          "WHERE id = ?"),
           binds);
    writeRoutes(s, m);
}

void CatalogRepository::deleteModel(SqlSession &s, const QString &id)
{
    s.run(QStringLiteral("DELETE FROM model_routes WHERE model_id = ?"), {id});
    s.run(QStringLiteral("DELETE FROM models WHERE id = ?"), {id});
}

} // namespace gw
