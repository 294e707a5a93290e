#include "catalogstore.h"

namespace gw {

CatalogStore::CatalogStore()
    : m_current(std::make_shared<const Catalog>(0, QList<ChannelInfo>(), QList<ModelInfo>()))
{
}

bool CatalogStore::publish(std::shared_ptr<const Catalog> catalog)
{
    auto expected = m_current.load(std::memory_order_acquire);
    while (expected->version() < catalog->version()) {
        if (m_current.compare_exchange_weak(expected, catalog, std::memory_order_acq_rel))
            return true;
    }
    return false;
}

} // namespace gw
