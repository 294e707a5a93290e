#include "keyblocklist.h"

#include <algorithm>
#include <map>
#include <vector>

namespace gw {

struct KeyBlockList::Snapshot
{
    QHash<QString, KeyBlock> byId;
    // Each list in id order, so the first hit is the oldest block.
    QHash<QString, QList<KeyBlock>> byKeyId;
    // Prefix blocks by prefix, grouped by prefix length (ascending): a key is
    // checked with one probe per length instead of one comparison per block.
    std::vector<std::pair<qsizetype, QHash<QByteArray, QList<KeyBlock>>>> byPrefixLength;
};

namespace {

bool applies(const KeyBlock &b, QStringView provider)
{
    return b.appliesEverywhere() || (!provider.isEmpty() && provider == b.provider);
}

} // namespace

KeyBlockList::KeyBlockList()
    : m_snapshot(std::make_shared<const Snapshot>())
{
}

void KeyBlockList::publish(QHash<QString, KeyBlock> byId)
{
    auto next = std::make_shared<Snapshot>();
    QList<KeyBlock> ordered = byId.values();
    std::sort(ordered.begin(), ordered.end(), [](const KeyBlock &a, const KeyBlock &b) { return a.id < b.id; });
    std::map<qsizetype, QHash<QByteArray, QList<KeyBlock>>> prefixes;
    for (const KeyBlock &b : std::as_const(ordered)) {
        if (!b.keyId.isEmpty())
            next->byKeyId[b.keyId].append(b);
        if (!b.keyPrefix.isEmpty()) {
            const QByteArray prefix = b.keyPrefix.toUtf8();
            prefixes[prefix.size()][prefix].append(b);
        }
    }
    for (auto &entry : prefixes)
        next->byPrefixLength.emplace_back(entry.first, std::move(entry.second));
    next->byId = std::move(byId);
    m_snapshot.replace(std::move(next));
}

void KeyBlockList::replaceAll(const QList<KeyBlock> &blocks)
{
    std::lock_guard lock(m_writeMutex);
    QHash<QString, KeyBlock> byId;
    for (const KeyBlock &b : blocks)
        byId.insert(b.id, b);
    m_sequences.clear();
    publish(std::move(byId));
}

void KeyBlockList::upsert(const KeyBlock &block, quint64 sequence)
{
    std::lock_guard lock(m_writeMutex);
    if (sequence != 0) {
        if (m_sequences.value(block.id, 0) > sequence)
            return;
        m_sequences.insert(block.id, sequence);
    }
    QHash<QString, KeyBlock> byId = m_snapshot.get()->byId;
    byId.insert(block.id, block);
    publish(std::move(byId));
}

void KeyBlockList::remove(const QString &id, quint64 sequence)
{
    std::lock_guard lock(m_writeMutex);
    if (sequence != 0) {
        if (m_sequences.value(id, 0) > sequence)
            return;
        m_sequences.insert(id, sequence);
    }
    QHash<QString, KeyBlock> byId = m_snapshot.get()->byId;
    if (byId.remove(id) == 0)
        return;
    publish(std::move(byId));
}

const KeyBlock *KeyBlockList::findIn(const Snapshot &s, const QString &keyId, QByteArrayView presentedKey,
                                     QStringView provider)
{
    const KeyBlock *found = nullptr;
    auto consider = [&found, provider](const QList<KeyBlock> &blocks) {
        for (const KeyBlock &b : blocks) {
            if (applies(b, provider)) {
                if (!found || b.id < found->id)
                    found = &b;
                return;
            }
        }
    };
    if (!keyId.isEmpty() && !s.byKeyId.isEmpty()) {
        const auto it = s.byKeyId.constFind(keyId);
        if (it != s.byKeyId.constEnd())
            consider(*it);
    }
    for (const auto &[length, blocks] : s.byPrefixLength) {
        if (presentedKey.size() < length)
            break;
        // A view of the presented key, not a copy: no allocation per probe.
        const QByteArray head = QByteArray::fromRawData(presentedKey.data(), length);
        const auto it = blocks.constFind(head);
        if (it != blocks.constEnd())
            consider(*it);
    }
    return found;
}

std::optional<KeyBlock> KeyBlockList::find(const QString &keyId, QByteArrayView presentedKey, QStringView provider) const
{
    return m_snapshot.read([&](const Snapshot &s) -> std::optional<KeyBlock> {
        if (s.byId.isEmpty())
            return std::nullopt;
        if (const KeyBlock *b = findIn(s, keyId, presentedKey, provider))
            return *b;
        return std::nullopt;
    });
}

bool KeyBlockList::blocksProvider(const QString &keyId, QByteArrayView presentedKey, QStringView provider) const
{
    return m_snapshot.read([&](const Snapshot &s) {
        return !s.byId.isEmpty() && findIn(s, keyId, presentedKey, provider) != nullptr;
    });
}

std::optional<KeyBlock> KeyBlockList::byId(const QString &id) const
{
    return m_snapshot.read([&id](const Snapshot &s) -> std::optional<KeyBlock> {
        const auto it = s.byId.constFind(id);
        if (it == s.byId.constEnd())
            return std::nullopt;
        return *it;
    });
}

QList<KeyBlock> KeyBlockList::all() const
{
    QList<KeyBlock> out = m_snapshot.get()->byId.values();
    std::sort(out.begin(), out.end(), [](const KeyBlock &a, const KeyBlock &b) { return a.id < b.id; });
    return out;
}

bool KeyBlockList::isEmpty() const
{
    return m_snapshot.read([](const Snapshot &s) { return s.byId.isEmpty(); });
}

} // namespace gw
