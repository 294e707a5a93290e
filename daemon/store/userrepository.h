#pragma once

#include "access/userrecord.h"
#include "access/userstate.h"
#include "page.h"

#include <optional>

namespace gw {

class SqlSession;

class UserRepository
{
public:
    static void insert(SqlSession &s, const UserRecord &u);
    static void update(SqlSession &s, const UserRecord &u);
    static std::optional<UserRecord> find(SqlSession &s, const QString &id);
    // Ordered by id (creation order); `emailLike` filters by substring.
    // Every user's status and plan: what the request path keeps in memory.
    static QList<UserState> states(SqlSession &s);
    static Page<UserRecord> list(SqlSession &s, const QString &cursor, int limit, const QString &emailLike);
};

} // namespace gw
