#pragma once

#include "apikeyrecord.h"
#include "crypto/keyedhasher.h"

#include <QHash>
#include <QList>

#include <memory>
#include <shared_mutex>
#include <unordered_map>

namespace gw {

// Every live API key, in memory, by keyed hash: a request's key is checked
// without touching the database. Writers (admin changes) take a short
// exclusive lock; lookups share it.
class ApiKeyRegistry
{
public:
    explicit ApiKeyRegistry(const KeyedHasher &hasher);

    QByteArray hashOf(QByteArrayView presentedKey) const;
    std::shared_ptr<const ApiKeyRecord> lookup(QByteArrayView presentedKey) const;
    std::shared_ptr<const ApiKeyRecord> byId(const QString &id) const;

    void replaceAll(const QList<ApiKeyRecord> &records);
    void upsert(const ApiKeyRecord &record);
    void remove(const QString &id);
    size_t size() const;

private:
    KeyedHasher m_hasher;
    mutable std::shared_mutex m_mutex;
    std::unordered_map<QByteArray, std::shared_ptr<const ApiKeyRecord>> m_byHash;
    QHash<QString, QByteArray> m_hashById;
};

} // namespace gw
