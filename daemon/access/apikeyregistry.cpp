#include "apikeyregistry.h"

#include <mutex>

namespace gw {

ApiKeyRegistry::ApiKeyRegistry(const KeyedHasher &hasher)
    : m_hasher(hasher)
{
}

QByteArray ApiKeyRegistry::hashOf(QByteArrayView presentedKey) const
{
    return m_hasher.hashHex(presentedKey);
}

std::shared_ptr<const ApiKeyRecord> ApiKeyRegistry::lookup(QByteArrayView presentedKey) const
{
    if (presentedKey.isEmpty() || presentedKey.size() > 512)
        return nullptr;
    const QByteArray hash = hashOf(presentedKey);
    std::shared_lock lock(m_mutex);
    const auto it = m_byHash.find(hash);
    if (it == m_byHash.end())
        return nullptr;
    // The map found it by hash; compare again in constant time so that no
    // timing difference depends on how much of a guess was right.
    if (!KeyedHasher::constantTimeEquals(it->second->hash, hash))
        return nullptr;
    return it->second;
}

std::shared_ptr<const ApiKeyRecord> ApiKeyRegistry::byId(const QString &id) const
{
    std::shared_lock lock(m_mutex);
    const auto hash = m_hashById.constFind(id);
    if (hash == m_hashById.constEnd())
        return nullptr;
    const auto it = m_byHash.find(*hash);
    return it == m_byHash.end() ? nullptr : it->second;
}

void ApiKeyRegistry::replaceAll(const QList<ApiKeyRecord> &records)
{
    std::unordered_map<QByteArray, std::shared_ptr<const ApiKeyRecord>> byHash;
    QHash<QString, QByteArray> hashById;
    for (const ApiKeyRecord &r : records) {
        if (r.isDeleted())
            continue;
        byHash.emplace(r.hash, std::make_shared<const ApiKeyRecord>(r));
        hashById.insert(r.id, r.hash);
    }
    std::unique_lock lock(m_mutex);
    m_byHash.swap(byHash);
    m_hashById.swap(hashById);
}

void ApiKeyRegistry::upsert(const ApiKeyRecord &record)
{
    if (record.isDeleted()) {
        remove(record.id);
        return;
    }
    auto shared = std::make_shared<const ApiKeyRecord>(record);
    std::unique_lock lock(m_mutex);
    const auto old = m_hashById.constFind(record.id);
    if (old != m_hashById.constEnd() && *old != record.hash)
        m_byHash.erase(*old);
    m_byHash[record.hash] = std::move(shared);
    m_hashById.insert(record.id, record.hash);
}

void ApiKeyRegistry::remove(const QString &id)
{
    std::unique_lock lock(m_mutex);
    const auto it = m_hashById.constFind(id);
    if (it == m_hashById.constEnd())
        return;
    m_byHash.erase(*it);
    m_hashById.erase(it);
}

size_t ApiKeyRegistry::size() const
{
    std::shared_lock lock(m_mutex);
    return m_byHash.size();
}

} // namespace gw
