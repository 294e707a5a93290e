#include "catalogstore.h"

namespace gw {

CatalogStore::CatalogStore()
    : m_current(std::make_shared<const Catalog>(0, QList<ChannelInfo>(), QList<ModelInfo>()))
{
}

bool CatalogStore::publish(std::shared_ptr<const Catalog> catalog)
{
    std::lock_guard lock(m_publishMutex);
    if (m_current.get()->version() >= catalog->version())
        return false;
    m_current.replace(std::move(catalog));
    return true;
}

} // namespace gw
