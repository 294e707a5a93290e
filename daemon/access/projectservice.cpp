#include "projectservice.h"

#include "admin/adminviews.h"
#include "billing/holdbook.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "store/auditlog.h"
#include "store/projectrepository.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "store/userrepository.h"

namespace gw {

namespace {

ProjectAccount withSpend(SqlSession &s, const ProjectRecord &p)
{
    const auto spend = ProjectRepository::spend(s, p.id, HoldBook::monthOf(TimeFormat::nowMs()));
    return ProjectAccount{p, spend.first, spend.second};
}

ProjectRecord findOwned(SqlSession &s, const QString &id, const QString &ownerId)
{
    auto found = ProjectRepository::find(s, id);
    if (!found || (!ownerId.isEmpty() && found->userId != ownerId))
        throw ServiceError::notFound(QStringLiteral("no project %1").arg(id));
    return *found;
}

} // namespace

ProjectService::ProjectService(Store &store, ProjectDirectory &projects)
    : m_store(store)
    , m_projects(projects)
{
}

void ProjectService::create(const QString &userId, const ProjectSpec &spec, const AdminActor &actor, QObject *context,
                            Callback<ProjectAccount> done)
{
    ProjectDirectory *projects = &m_projects;
    m_store.write<ProjectAccount>(context, [userId, spec, actor](SqlSession &s) {
        if (!UserRepository::find(s, userId))
            throw ServiceError::notFound(QStringLiteral("no user %1").arg(userId));
        ProjectRecord p;
        p.id = IdGenerator::make("prj");
        p.userId = userId;
        p.name = spec.name.value_or(QString()).trimmed();
        p.monthlyBudget = spec.monthlyBudget;
        p.status = spec.status.value_or(QStringLiteral("active"));
        p.createdAtMs = p.updatedAtMs = TimeFormat::nowMs();
        ProjectRepository::insert(s, p);
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("project"), p.id, std::nullopt, AdminViews::project(p));
        return ProjectAccount{p, 0, 0};
    }, [projects, done = std::move(done)](Outcome<ProjectAccount> o) {
        if (o.ok())
            projects->upsert(o.value().project);
        done(std::move(o));
    });
}

void ProjectService::update(const QString &id, const ProjectSpec &spec, const QString &ownerId, const AdminActor &actor,
                            QObject *context, Callback<ProjectAccount> done)
{
    ProjectDirectory *projects = &m_projects;
    m_store.write<ProjectAccount>(context, [id, spec, ownerId, actor](SqlSession &s) {
        const ProjectRecord before = findOwned(s, id, ownerId);
        ProjectRecord p = before;
        if (spec.name)
            p.name = spec.name->trimmed();
        if (spec.clearBudget)
            p.monthlyBudget.reset();
        if (spec.monthlyBudget)
            p.monthlyBudget = *spec.monthlyBudget;
        if (spec.status)
            p.status = *spec.status;
        p.updatedAtMs = TimeFormat::nowMs();
        ProjectRepository::update(s, p);
        AuditLog::record(s, actor, QStringLiteral("update"), QStringLiteral("project"), p.id, AdminViews::project(before),
                         AdminViews::project(p));
        return withSpend(s, p);
    }, [projects, done = std::move(done)](Outcome<ProjectAccount> o) {
        if (o.ok())
            projects->upsert(o.value().project);
        done(std::move(o));
    });
}

void ProjectService::get(const QString &id, const QString &ownerId, QObject *context, Callback<ProjectAccount> done)
{
    m_store.readFresh<ProjectAccount>(context, [id, ownerId](SqlSession &s) { return withSpend(s, findOwned(s, id, ownerId)); },
                                 std::move(done));
}

void ProjectService::listByUser(const QString &userId, const QString &cursor, int limit, QObject *context,
                                Callback<Page<ProjectAccount>> done)
{
    m_store.readFresh<Page<ProjectAccount>>(context, [userId, cursor, limit](SqlSession &s) {
        if (!UserRepository::find(s, userId))
            throw ServiceError::notFound(QStringLiteral("no user %1").arg(userId));
        const Page<ProjectRecord> page = ProjectRepository::listByUser(s, userId, cursor, limit);
        Page<ProjectAccount> out;
        out.nextCursor = page.nextCursor;
        for (const ProjectRecord &p : page.items)
            out.items.append(withSpend(s, p));
        return out;
    }, std::move(done));
}

} // namespace gw
