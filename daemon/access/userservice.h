#pragma once

#include "adminactor.h"
#include "common/callback.h"
#include "store/page.h"
#include "useraccount.h"
#include "userspec.h"

#include <QObject>

namespace gw {

class Store;

// Users and their accounts. Creating a user opens the ledger account and
// posts the initial credits as a grant, in the same transaction.
class UserService
{
public:
    explicit UserService(Store &store);

    void create(const UserSpec &spec, const AdminActor &actor, QObject *context, Callback<UserAccount> done);
    void update(const QString &id, const UserSpec &spec, const AdminActor &actor, QObject *context,
                Callback<UserAccount> done);
    void get(const QString &id, QObject *context, Callback<UserAccount> done);
    void list(const QString &cursor, int limit, const QString &emailFilter, QObject *context,
              Callback<Page<UserAccount>> done);

private:
    Store &m_store;
};

} // namespace gw
