#include "admintokenregistry.h"

#include "tokenformat.h"

#include <mutex>

namespace gw {

AdminTokenRegistry::AdminTokenRegistry(const KeyedHasher &hasher)
    : m_hasher(hasher)
{
}

QByteArray AdminTokenRegistry::hashOf(QByteArrayView token) const
{
    return m_hasher.hashHex(token);
}

std::shared_ptr<const AdminTokenRecord> AdminTokenRegistry::lookup(QByteArrayView token) const
{
    if (token.isEmpty() || token.size() > 512)
        return nullptr;
    const QByteArray hash = hashOf(token);
    std::shared_lock lock(m_mutex);
    const auto it = m_byHash.find(hash);
    if (it == m_byHash.end() || !KeyedHasher::constantTimeEquals(it->second->hash, hash))
        return nullptr;
    return it->second;
}

void AdminTokenRegistry::replaceAll(const QList<AdminTokenRecord> &records)
{
    std::unique_lock lock(m_mutex);
    for (auto it = m_byHash.begin(); it != m_byHash.end();) {
        if (it->second->bootstrap)
            ++it;
        else
            it = m_byHash.erase(it);
    }
    for (const AdminTokenRecord &r : records) {
        if (!r.revokedAtMs)
            m_byHash[r.hash] = std::make_shared<const AdminTokenRecord>(r);
    }
}

void AdminTokenRegistry::upsert(const AdminTokenRecord &record)
{
    std::unique_lock lock(m_mutex);
    for (auto it = m_byHash.begin(); it != m_byHash.end(); ++it) {
        if (it->second->id == record.id) {
            m_byHash.erase(it);
            break;
        }
    }
    if (!record.revokedAtMs)
        m_byHash[record.hash] = std::make_shared<const AdminTokenRecord>(record);
}

void AdminTokenRegistry::remove(const QString &id)
{
    std::unique_lock lock(m_mutex);
    for (auto it = m_byHash.begin(); it != m_byHash.end(); ++it) {
        if (it->second->id == id) {
            m_byHash.erase(it);
            return;
        }
    }
}

void AdminTokenRegistry::addBootstrap(const QByteArray &token)
{
    AdminTokenRecord r;
    r.id = QStringLiteral("bootstrap");
    r.name = QStringLiteral("bootstrap");
    r.role = AdminRole::Admin;
    r.prefix = TokenFormat::displayPrefix(token);
    r.hash = hashOf(token);
    r.bootstrap = true;
    std::unique_lock lock(m_mutex);
    m_byHash[r.hash] = std::make_shared<const AdminTokenRecord>(r);
}

int AdminTokenRegistry::activeAdminCount() const
{
    std::shared_lock lock(m_mutex);
    int n = 0;
    for (const auto &entry : m_byHash) {
        if (entry.second->role == AdminRole::Admin)
            ++n;
    }
    return n;
}

} // namespace gw
