#include "admintokenservice.h"

#include "admin/adminviews.h"
#include "admintokenregistry.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "store/admintokenrepository.h"
#include "store/auditlog.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "tokenformat.h"

namespace gw {

AdminTokenService::AdminTokenService(Store &store, AdminTokenRegistry &registry)
    : m_store(store)
    , m_registry(registry)
{
}

void AdminTokenService::create(const AdminTokenSpec &spec, const AdminActor &actor, QObject *context,
                               Callback<Issued> done)
{
    AdminTokenRegistry *registry = &m_registry;
    m_store.write<Issued>(context, [spec, actor, registry](SqlSession &s) {
        Issued issued;
        AdminTokenRecord &t = issued.record;
        t.id = IdGenerator::make("adm");
        t.name = spec.name;
        t.role = spec.role;
        t.createdBy = actor.tokenId;
        t.createdAtMs = TimeFormat::nowMs();
        issued.plaintext = TokenFormat::newAdminToken();
        t.hash = registry->hashOf(issued.plaintext);
        t.prefix = TokenFormat::displayPrefix(issued.plaintext);
        AdminTokenRepository::insert(s, t);
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("admin_token"), t.id, std::nullopt,
                         AdminViews::adminToken(t));
        return issued;
    }, [registry, done = std::move(done)](Outcome<Issued> o) {
        if (o.ok())
            registry->upsert(o.value().record);
        done(std::move(o));
    });
}

void AdminTokenService::revoke(const QString &id, const AdminActor &actor, QObject *context,
                               Callback<AdminTokenRecord> done)
{
    AdminTokenRegistry *registry = &m_registry;
    m_store.write<AdminTokenRecord>(context, [id, actor, registry](SqlSession &s) {
        auto found = AdminTokenRepository::find(s, id);
        if (!found || found->revokedAtMs)
            throw ServiceError::notFound(QStringLiteral("no admin token %1").arg(id));
        const int databaseAdmins = AdminTokenRepository::countActive(s, AdminRole::Admin);
        const int memoryAdmins = registry->activeAdminCount();
        // Bootstrap tokens live only in memory: they count as the way back in.
        const bool bootstrapExists = memoryAdmins > databaseAdmins;
        if (found->role == AdminRole::Admin && databaseAdmins <= 1 && !bootstrapExists)
            throw ServiceError::conflict(QStringLiteral("admin token %1 is the last admin token; create another first").arg(id));
        AdminTokenRecord t = *found;
        t.revokedAtMs = TimeFormat::nowMs();
        AdminTokenRepository::revoke(s, id, *t.revokedAtMs);
        AuditLog::record(s, actor, QStringLiteral("revoke"), QStringLiteral("admin_token"), id,
                         AdminViews::adminToken(*found), std::nullopt);
        return t;
    }, [registry, done = std::move(done)](Outcome<AdminTokenRecord> o) {
        if (o.ok())
            registry->remove(o.value().id);
        done(std::move(o));
    });
}

void AdminTokenService::list(const QString &cursor, int limit, QObject *context, Callback<Page<AdminTokenRecord>> done)
{
    m_store.read<Page<AdminTokenRecord>>(context, [cursor, limit](SqlSession &s) {
        return AdminTokenRepository::list(s, cursor, limit);
    }, std::move(done));
}

std::optional<AdminTokenService::Issued> AdminTokenService::issueInitialTokenIfNone(QString *error)
{
    AdminTokenRegistry *registry = &m_registry;
    auto outcome = m_store.writeAndWait<std::optional<Issued>>([registry](SqlSession &s) -> std::optional<Issued> {
        if (AdminTokenRepository::countActive(s, AdminRole::Admin) > 0)
            return std::nullopt;
        Issued issued;
        AdminTokenRecord &t = issued.record;
        t.id = IdGenerator::make("adm");
        t.name = QStringLiteral("initial");
        t.role = AdminRole::Admin;
        t.createdAtMs = TimeFormat::nowMs();
        issued.plaintext = TokenFormat::newAdminToken();
        t.hash = registry->hashOf(issued.plaintext);
        t.prefix = TokenFormat::displayPrefix(issued.plaintext);
        AdminTokenRepository::insert(s, t);
        AuditLog::record(s, AdminActor{QStringLiteral("system"), AdminRole::Admin, {}, {}}, QStringLiteral("create"),
                         QStringLiteral("admin_token"), t.id, std::nullopt, AdminViews::adminToken(t));
        return issued;
    });
    if (!outcome.ok()) {
        *error = outcome.error().message();
        return std::nullopt;
    }
    if (outcome.value())
        registry->upsert(outcome.value()->record);
    return outcome.value();
}

} // namespace gw
