#pragma once

#include "adminactor.h"
#include "apikeyrecord.h"
#include "apikeyspec.h"
#include "common/callback.h"
#include "store/page.h"

#include <QObject>

namespace gw {

class ApiKeyRegistry;
class Store;

// Issues, changes and deletes API keys. The plaintext key exists only in the
// answer to its creation; the database and the in-memory registry hold its
// keyed hash. A change reaches the registry as soon as it is committed, so it
// applies to the next request.
class ApiKeyService
{
public:
    struct Issued
    {
        ApiKeyRecord record;
        QByteArray plaintext;
    };

    ApiKeyService(Store &store, ApiKeyRegistry &registry);

    void create(const QString &userId, const ApiKeySpec &spec, const AdminActor &actor, QObject *context,
                Callback<Issued> done);
    void update(const QString &id, const ApiKeySpec &spec, const AdminActor &actor, QObject *context,
                Callback<ApiKeyRecord> done);
    // `ownerId` non-empty: only a key of that user (an owner deleting their own).
    void remove(const QString &id, const AdminActor &actor, QObject *context, Callback<ApiKeyRecord> done,
                const QString &ownerId = {});
    void get(const QString &id, QObject *context, Callback<ApiKeyRecord> done);
    void listByUser(const QString &userId, const QString &cursor, int limit, QObject *context,
                    Callback<Page<ApiKeyRecord>> done);

private:
    Store &m_store;
    ApiKeyRegistry &m_registry;
};

} // namespace gw
