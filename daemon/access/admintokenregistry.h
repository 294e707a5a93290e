#pragma once

#include "admintokenrecord.h"
#include "crypto/keyedhasher.h"

#include <QList>

#include <memory>
#include <shared_mutex>
#include <unordered_map>

namespace gw {

// The admin tokens that may call /admin/v1, by keyed hash, in memory.
class AdminTokenRegistry
{
public:
    explicit AdminTokenRegistry(const KeyedHasher &hasher);

    QByteArray hashOf(QByteArrayView token) const;
    std::shared_ptr<const AdminTokenRecord> lookup(QByteArrayView token) const;

    void replaceAll(const QList<AdminTokenRecord> &records);
    void upsert(const AdminTokenRecord &record);
    void remove(const QString &id);
    // A token given at start (--admin-token, GATEWAY_ADMIN_TOKEN, --admin-token-file).
    void addBootstrap(const QByteArray &token);
    int activeAdminCount() const;

private:
    KeyedHasher m_hasher;
    mutable std::shared_mutex m_mutex;
    std::unordered_map<QByteArray, std::shared_ptr<const AdminTokenRecord>> m_byHash;
};

} // namespace gw
