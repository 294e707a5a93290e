#pragma once

#include "common/snapshotcell.h"
#include "keyblock.h"

#include <QByteArrayView>
#include <QHash>
#include <QList>

#include <memory>
#include <mutex>
#include <optional>

namespace gw {

// Every key block, in memory. The relay asks on every request, so a read is
// a SnapshotCell read of an immutable snapshot and, when there are blocks at
// all, one hash probe for the key id and one per distinct prefix length;
// nothing is allocated unless a block is found. Changes build a new snapshot
// (blocks change rarely).
//
// Admission happens before a channel is chosen, so find() with no provider
// sees only blocks for every provider ("*"); a block for one provider is
// enforced at routing time, where blocksProvider() tells the relay to skip
// that provider's channels.
//
// Sequences order admin changes as in RateLimitRules.
class KeyBlockList
{
public:
    KeyBlockList();

    void replaceAll(const QList<KeyBlock> &blocks);
    void upsert(const KeyBlock &block, quint64 sequence = 0);
    void remove(const QString &id, quint64 sequence = 0);

    // The oldest block that applies to this key (its id, or its plaintext by
    // prefix) for `provider`: "*" blocks always, a provider's own blocks when
    // `provider` names it. An empty provider checks "*" blocks only.
    std::optional<KeyBlock> find(const QString &keyId, QByteArrayView presentedKey, QStringView provider = {}) const;
    // Whether the key may not use channels of `provider` ("*" blocks included).
    bool blocksProvider(const QString &keyId, QByteArrayView presentedKey, QStringView provider) const;

    std::optional<KeyBlock> byId(const QString &id) const;
    // In id (creation) order.
    QList<KeyBlock> all() const;
    bool isEmpty() const;

private:
    struct Snapshot;
    void publish(QHash<QString, KeyBlock> byId);
    static const KeyBlock *findIn(const Snapshot &s, const QString &keyId, QByteArrayView presentedKey,
                                  QStringView provider);

    std::mutex m_writeMutex;
    QHash<QString, quint64> m_sequences;
    SnapshotCell<Snapshot> m_snapshot;
};

} // namespace gw
