#pragma once

#include "adminactor.h"
#include "common/callback.h"
#include "common/recorddirectory.h"
#include "projectrecord.h"
#include "projectspec.h"
#include "store/page.h"

#include <QObject>

namespace gw {

class Store;

using ProjectDirectory = RecordDirectory<ProjectRecord>;

// A project with what it spent and holds this month.
struct ProjectAccount
{
    ProjectRecord project;
    qint64 spentThisMonth = 0;
    qint64 heldThisMonth = 0;
};

// Projects (team keys): created for a user, their budgets changed by
// operators or by the owner through a key with the manage scope.
class ProjectService
{
public:
    ProjectService(Store &store, ProjectDirectory &projects);

    void create(const QString &userId, const ProjectSpec &spec, const AdminActor &actor, QObject *context,
                Callback<ProjectAccount> done);
    // `ownerId` non-empty: refuse (404) a project of another owner.
    void update(const QString &id, const ProjectSpec &spec, const QString &ownerId, const AdminActor &actor,
                QObject *context, Callback<ProjectAccount> done);
    void get(const QString &id, const QString &ownerId, QObject *context, Callback<ProjectAccount> done);
    void listByUser(const QString &userId, const QString &cursor, int limit, QObject *context,
                    Callback<Page<ProjectAccount>> done);

private:
    Store &m_store;
    ProjectDirectory &m_projects;
};

} // namespace gw
