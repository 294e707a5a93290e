#pragma once

#include "catalog.h"

#include <atomic>
#include <memory>

namespace gw {

// Holds the current catalog snapshot. publish() keeps the newest version
// only, so that completions arriving out of order cannot roll it back.
class CatalogStore
{
public:
    CatalogStore();

    std::shared_ptr<const Catalog> current() const { return m_current.load(std::memory_order_acquire); }
    bool publish(std::shared_ptr<const Catalog> catalog);

private:
    std::atomic<std::shared_ptr<const Catalog>> m_current;
};

} // namespace gw
