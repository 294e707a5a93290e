#include "planservice.h"

#include "admin/adminviews.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "store/auditlog.h"
#include "store/planrepository.h"
#include "store/sqlsession.h"
#include "store/store.h"

namespace gw {

namespace {

void apply(PlanRecord &p, const PlanSpec &spec)
{
    if (spec.name)
        p.name = spec.name->trimmed();
    if (spec.models)
        p.models = *spec.models;
    if (spec.billingMode)
        p.billingMode = *spec.billingMode;
    if (spec.monthlyAllowance)
        p.monthlyAllowance = *spec.monthlyAllowance;
}

void insertOrConflict(SqlSession &s, const PlanRecord &p, bool update)
{
    try {
        if (update)
            PlanRepository::update(s, p);
        else
            PlanRepository::insert(s, p);
    } catch (const ServiceError &e) {
        if (e.kind() == ServiceError::Kind::Conflict)
            throw ServiceError(QStringLiteral("a plan named %1 already exists").arg(p.name), ServiceError::Kind::Conflict,
                               QStringLiteral("name"));
        throw;
    }
}

} // namespace

PlanService::PlanService(Store &store, PlanBook &plans)
    : m_store(store)
    , m_plans(plans)
{
}

void PlanService::create(const PlanSpec &spec, const AdminActor &actor, QObject *context, Callback<PlanRecord> done)
{
    PlanBook *plans = &m_plans;
    m_store.write<PlanRecord>(context, [spec, actor](SqlSession &s) {
        PlanRecord p;
        p.id = IdGenerator::make("plan");
        p.createdAtMs = p.updatedAtMs = TimeFormat::nowMs();
        apply(p, spec);
        insertOrConflict(s, p, false);
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("plan"), p.id, std::nullopt, AdminViews::plan(p));
        return p;
    }, [plans, done = std::move(done)](Outcome<PlanRecord> o) {
        if (o.ok())
            plans->upsert(o.value());
        done(std::move(o));
    });
}

void PlanService::update(const QString &id, const PlanSpec &spec, const AdminActor &actor, QObject *context,
                         Callback<PlanRecord> done)
{
    PlanBook *plans = &m_plans;
    m_store.write<PlanRecord>(context, [id, spec, actor](SqlSession &s) {
        auto found = PlanRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no plan %1").arg(id));
        PlanRecord p = *found;
        apply(p, spec);
        if (p.billingMode == QLatin1String("subscription") && p.monthlyAllowance <= 0)
            throw ServiceError::invalid(QStringLiteral("monthly_allowance"), QStringLiteral("a subscription plan needs a monthly allowance"));
        p.updatedAtMs = TimeFormat::nowMs();
        insertOrConflict(s, p, true);
        AuditLog::record(s, actor, QStringLiteral("update"), QStringLiteral("plan"), p.id, AdminViews::plan(*found), AdminViews::plan(p));
        return p;
    }, [plans, done = std::move(done)](Outcome<PlanRecord> o) {
        if (o.ok())
            plans->upsert(o.value());
        done(std::move(o));
    });
}

void PlanService::remove(const QString &id, const AdminActor &actor, QObject *context, Callback<bool> done)
{
    PlanBook *plans = &m_plans;
    m_store.write<bool>(context, [id, actor](SqlSession &s) {
        auto found = PlanRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no plan %1").arg(id));
        if (const int users = PlanRepository::usersOn(s, found->id); users > 0)
            throw ServiceError::conflict(QStringLiteral("%1 user(s) are on plan %2; move them first").arg(users).arg(found->name));
        PlanRepository::remove(s, found->id);
        AuditLog::record(s, actor, QStringLiteral("delete"), QStringLiteral("plan"), found->id, AdminViews::plan(*found), std::nullopt);
        return true;
    }, [plans, id, done = std::move(done)](Outcome<bool> o) {
        if (o.ok())
            plans->remove(id);
        done(std::move(o));
    });
}

} // namespace gw
