#pragma once

#include "access/adminactor.h"
#include "catalog.h"
#include "channelspec.h"
#include "common/callback.h"
#include "modelspec.h"

#include <QObject>

#include <memory>

namespace gw {

class CatalogStore;
class SecretBox;
class Store;

// Onboarding without a release: creates, changes and removes channels and
// models. Each change is written with its audit entry in one transaction,
// after which a fresh catalog snapshot is built on the writer thread and
// published, so the next request already routes by it.
class CatalogService
{
public:
    CatalogService(Store &store, CatalogStore &catalog, const SecretBox &secrets);

    std::shared_ptr<const Catalog> snapshot() const;

    void createChannel(const ChannelSpec &spec, const AdminActor &actor, QObject *context, Callback<ChannelInfo> done);
    void updateChannel(const QString &id, const ChannelSpec &spec, const AdminActor &actor, QObject *context,
                       Callback<ChannelInfo> done);
    void deleteChannel(const QString &id, const AdminActor &actor, QObject *context, Callback<bool> done);

    void createModel(const ModelSpec &spec, const AdminActor &actor, QObject *context, Callback<ModelInfo> done);
    void updateModel(const QString &id, const ModelSpec &spec, const AdminActor &actor, QObject *context,
                     Callback<ModelInfo> done);
    void deleteModel(const QString &id, const AdminActor &actor, QObject *context, Callback<bool> done);

    // Imports the config file's catalog ({"channels": [...], "models": [...]})
    // in one transaction: channels are matched by name and models by id,
    // created when new and changed when not. Blocking: start-up only.
    bool importCatalog(const QJsonObject &catalog, QString *error);

    // Provider names a channel may have (built-in adapters; config may add more later).
    static const QStringList &knownProviders();

private:
    template <typename T>
    struct Change
    {
        T value;
        std::shared_ptr<const Catalog> catalog;
    };
    template <typename T>
    void commit(QObject *context, std::function<Change<T>(class SqlSession &)> work, Callback<T> done);

    Store &m_store;
    CatalogStore &m_catalog;
    const SecretBox &m_secrets;
};

} // namespace gw
