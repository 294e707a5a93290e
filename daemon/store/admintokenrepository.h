#pragma once

#include "access/admintokenrecord.h"
#include "page.h"

#include <optional>

namespace gw {

class SqlSession;

class AdminTokenRepository
{
public:
    static void insert(SqlSession &s, const AdminTokenRecord &t);
    static void revoke(SqlSession &s, const QString &id, qint64 atMs);
    static std::optional<AdminTokenRecord> find(SqlSession &s, const QString &id);
    static Page<AdminTokenRecord> list(SqlSession &s, const QString &cursor, int limit);
    static QList<AdminTokenRecord> loadActive(SqlSession &s);
    static int countActive(SqlSession &s, AdminRole role);
};

} // namespace gw
