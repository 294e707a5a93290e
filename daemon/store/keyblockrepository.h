#pragma once

#include "limits/keyblock.h"
#include "page.h"

#include <optional>

namespace gw {

class SqlSession;

// The SQL behind key_blocks.
class KeyBlockRepository
{
public:
    static void insert(SqlSession &s, const KeyBlock &b);
    static void remove(SqlSession &s, const QString &id);
    static std::optional<KeyBlock> find(SqlSession &s, const QString &id);
    // A block with the same key (id or prefix) and provider, if one exists.
    static std::optional<KeyBlock> findSame(SqlSession &s, const KeyBlock &b);
    // In id order; `keyId` empty lists every block.
    static Page<KeyBlock> list(SqlSession &s, const QString &keyId, const QString &cursor, int limit);
    static QList<KeyBlock> loadAll(SqlSession &s);
};

} // namespace gw
