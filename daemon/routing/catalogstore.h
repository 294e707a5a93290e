#pragma once

#include "catalog.h"
#include "common/snapshotcell.h"

#include <memory>
#include <mutex>

namespace gw {

// Holds the current catalog snapshot. publish() keeps the newest version
// only, so that completions arriving out of order cannot roll it back.
class CatalogStore
{
public:
    CatalogStore();

    std::shared_ptr<const Catalog> current() const { return m_current.get(); }
    bool publish(std::shared_ptr<const Catalog> catalog);

private:
    std::mutex m_publishMutex;
    SnapshotCell<Catalog> m_current;
};

} // namespace gw
