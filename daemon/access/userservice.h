#pragma once

#include "adminactor.h"
#include "billing/planservice.h"
#include "common/recorddirectory.h"
#include "userstate.h"
#include "common/callback.h"
#include "store/page.h"
#include "useraccount.h"
#include "userspec.h"

#include <QObject>

namespace gw {

class Store;

// Users and their accounts. Creating a user opens the ledger account and
// posts the initial credits as a grant, in the same transaction. A user's
// status and plan are mirrored in memory for the request path.
class UserService
{
public:
    UserService(Store &store, RecordDirectory<UserState> &users, const PlanBook &plans);

    void create(const UserSpec &spec, const AdminActor &actor, QObject *context, Callback<UserAccount> done);
    void update(const QString &id, const UserSpec &spec, const AdminActor &actor, QObject *context,
                Callback<UserAccount> done);
    void get(const QString &id, QObject *context, Callback<UserAccount> done);
    void list(const QString &cursor, int limit, const QString &emailFilter, QObject *context,
              Callback<Page<UserAccount>> done);

private:
    // The plan a spec names (by id or name), or an error naming the field.
    std::optional<QString> resolvePlan(const UserSpec &spec, QString *error) const;

    Store &m_store;
    RecordDirectory<UserState> &m_users;
    const PlanBook &m_plans;
};

} // namespace gw
