#pragma once

#include "access/adminactor.h"
#include "common/callback.h"
#include "keyblock.h"
#include "keyblockspec.h"
#include "store/page.h"

#include <QObject>

#include <atomic>

namespace gw {

class KeyBlockList;
class Store;

// Creates and removes the key blocks of /admin/v1/blocks. Each change is
// written with its audit entry in one transaction and reaches the in-memory
// KeyBlockList when it commits, so the blocked key's next request is refused.
class KeyBlockService
{
public:
    KeyBlockService(Store &store, KeyBlockList &blocks);

    void create(const KeyBlockSpec &spec, const AdminActor &actor, QObject *context, Callback<KeyBlock> done);
    void remove(const QString &id, const AdminActor &actor, QObject *context, Callback<KeyBlock> done);
    void get(const QString &id, QObject *context, Callback<KeyBlock> done);
    // `keyId` empty lists every block.
    void list(const QString &keyId, const QString &cursor, int limit, QObject *context, Callback<Page<KeyBlock>> done);

private:
    Store &m_store;
    KeyBlockList &m_blocks;
    std::atomic<quint64> m_sequence{0};
};

} // namespace gw
