#pragma once

#include "access/apikeyrecord.h"
#include "page.h"

#include <optional>

namespace gw {

class SqlSession;

class ApiKeyRepository
{
public:
    static void insert(SqlSession &s, const ApiKeyRecord &k);
    static void update(SqlSession &s, const ApiKeyRecord &k);
    static std::optional<ApiKeyRecord> find(SqlSession &s, const QString &id);
    static Page<ApiKeyRecord> listByUser(SqlSession &s, const QString &userId, const QString &cursor, int limit);
    // Every key not deleted: what the in-memory registry starts from.
    static QList<ApiKeyRecord> loadLive(SqlSession &s);
};

} // namespace gw
