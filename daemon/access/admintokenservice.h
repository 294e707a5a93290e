#pragma once

#include "adminactor.h"
#include "admintokenrecord.h"
#include "admintokenspec.h"
#include "common/callback.h"
#include "store/page.h"

#include <QObject>

namespace gw {

class AdminTokenRegistry;
class Store;

// Admin tokens: issued once in clear, stored as keyed hashes. The last admin
// token cannot be revoked unless a bootstrap token is configured, so that an
// operator cannot lock everyone out.
class AdminTokenService
{
public:
    struct Issued
    {
        AdminTokenRecord record;
        QByteArray plaintext;
    };

    AdminTokenService(Store &store, AdminTokenRegistry &registry);

    void create(const AdminTokenSpec &spec, const AdminActor &actor, QObject *context, Callback<Issued> done);
    void revoke(const QString &id, const AdminActor &actor, QObject *context, Callback<AdminTokenRecord> done);
    void list(const QString &cursor, int limit, QObject *context, Callback<Page<AdminTokenRecord>> done);

    // Start-up: issue the first admin token when none exists (blocking; not on an HTTP thread).
    std::optional<Issued> issueInitialTokenIfNone(QString *error);

private:
    Store &m_store;
    AdminTokenRegistry &m_registry;
};

} // namespace gw
