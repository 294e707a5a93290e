#include "apikeyservice.h"

#include "admin/adminviews.h"
#include "apikeyregistry.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "store/apikeyrepository.h"
#include "store/auditlog.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "store/userrepository.h"
#include "tokenformat.h"

namespace gw {

namespace {

void checkProject(SqlSession &s, const QString &userId, const QString &projectId)
{
    if (projectId.isEmpty())
        return;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT user_id FROM projects WHERE id = ?"), {projectId});
    if (!q.next() || q.value(0).toString() != userId)
        throw ServiceError::invalid(QStringLiteral("project"), QStringLiteral("no project %1 of this user").arg(projectId));
}

void applySpec(ApiKeyRecord &k, const ApiKeySpec &spec)
{
    if (spec.name)
        k.name = *spec.name;
    if (spec.status)
        k.status = *spec.status;
    if (spec.models)
        k.models = *spec.models;
    if (spec.families)
        k.families = *spec.families;
    if (spec.scopes)
        k.scopes = *spec.scopes;
    if (spec.ipAllow)
        k.ipAllow = *spec.ipAllow;
    if (spec.rpm)
        k.rpm = *spec.rpm;
    if (spec.tpm)
        k.tpm = *spec.tpm;
    if (spec.maxConcurrency)
        k.maxConcurrency = *spec.maxConcurrency;
    if (spec.project)
        k.projectId = *spec.project;
    if (spec.clearExpiry)
        k.expiresAtMs.reset();
    if (spec.expiresAt)
        k.expiresAtMs = spec.expiresAt->toMSecsSinceEpoch();
    if (spec.storePayloads)
        k.storePayloads = *spec.storePayloads;
}

ApiKeyRecord findLive(SqlSession &s, const QString &id)
{
    auto found = ApiKeyRepository::find(s, id);
    if (!found || found->isDeleted())
        throw ServiceError::notFound(QStringLiteral("no API key %1").arg(id));
    return *found;
}

} // namespace

ApiKeyService::ApiKeyService(Store &store, ApiKeyRegistry &registry)
    : m_store(store)
    , m_registry(registry)
{
}

void ApiKeyService::create(const QString &userId, const ApiKeySpec &spec, const AdminActor &actor, QObject *context,
                           Callback<Issued> done)
{
    ApiKeyRegistry *registry = &m_registry;
    m_store.write<Issued>(context, [userId, spec, actor, registry](SqlSession &s) {
        if (!UserRepository::find(s, userId))
            throw ServiceError::notFound(QStringLiteral("no user %1").arg(userId));
        Issued issued;
        ApiKeyRecord &k = issued.record;
        k.id = IdGenerator::make("key");
        k.userId = userId;
        k.createdAtMs = k.updatedAtMs = TimeFormat::nowMs();
        applySpec(k, spec);
        checkProject(s, userId, k.projectId);
        issued.plaintext = TokenFormat::newApiKey();
        k.hash = registry->hashOf(issued.plaintext);
        k.prefix = TokenFormat::displayPrefix(issued.plaintext);
        ApiKeyRepository::insert(s, k);
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("key"), k.id, std::nullopt, AdminViews::apiKey(k));
        return issued;
    }, [registry, done = std::move(done)](Outcome<Issued> o) {
        if (o.ok())
            registry->upsert(o.value().record);
        done(std::move(o));
    });
}

void ApiKeyService::update(const QString &id, const ApiKeySpec &spec, const AdminActor &actor, QObject *context,
                           Callback<ApiKeyRecord> done)
{
    ApiKeyRegistry *registry = &m_registry;
    m_store.write<ApiKeyRecord>(context, [id, spec, actor](SqlSession &s) {
        ApiKeyRecord k = findLive(s, id);
        const QJsonObject before = AdminViews::apiKey(k);
        applySpec(k, spec);
        checkProject(s, k.userId, k.projectId);
        k.updatedAtMs = TimeFormat::nowMs();
        ApiKeyRepository::update(s, k);
        AuditLog::record(s, actor, QStringLiteral("update"), QStringLiteral("key"), id, before, AdminViews::apiKey(k));
        return k;
    }, [registry, done = std::move(done)](Outcome<ApiKeyRecord> o) {
        if (o.ok())
            registry->upsert(o.value());
        done(std::move(o));
    });
}

void ApiKeyService::remove(const QString &id, const AdminActor &actor, QObject *context, Callback<ApiKeyRecord> done,
                           const QString &ownerId)
{
    ApiKeyRegistry *registry = &m_registry;
    m_store.write<ApiKeyRecord>(context, [id, actor, ownerId](SqlSession &s) {
        ApiKeyRecord k = findLive(s, id);
        if (!ownerId.isEmpty() && k.userId != ownerId)
            throw ServiceError::notFound(QStringLiteral("no API key %1").arg(id));
        const QJsonObject before = AdminViews::apiKey(k);
        k.deletedAtMs = k.updatedAtMs = TimeFormat::nowMs();
        ApiKeyRepository::update(s, k);
        AuditLog::record(s, actor, QStringLiteral("delete"), QStringLiteral("key"), id, before, std::nullopt);
        return k;
    }, [registry, done = std::move(done)](Outcome<ApiKeyRecord> o) {
        if (o.ok())
            registry->remove(o.value().id);
        done(std::move(o));
    });
}

void ApiKeyService::get(const QString &id, QObject *context, Callback<ApiKeyRecord> done)
{
    m_store.read<ApiKeyRecord>(context, [id](SqlSession &s) { return findLive(s, id); }, std::move(done));
}

void ApiKeyService::listByUser(const QString &userId, const QString &cursor, int limit, QObject *context,
                               Callback<Page<ApiKeyRecord>> done)
{
    m_store.read<Page<ApiKeyRecord>>(context, [userId, cursor, limit](SqlSession &s) {
        if (!UserRepository::find(s, userId))
            throw ServiceError::notFound(QStringLiteral("no user %1").arg(userId));
        return ApiKeyRepository::listByUser(s, userId, cursor, limit);
    }, std::move(done));
}

} // namespace gw
