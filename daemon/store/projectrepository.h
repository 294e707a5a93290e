#pragma once

#include "access/projectrecord.h"
#include "page.h"

#include <optional>

namespace gw {

class SqlSession;

class ProjectRepository
{
public:
    static void insert(SqlSession &s, const ProjectRecord &p);
    static void update(SqlSession &s, const ProjectRecord &p);
    static std::optional<ProjectRecord> find(SqlSession &s, const QString &id);
    static Page<ProjectRecord> listByUser(SqlSession &s, const QString &userId, const QString &cursor, int limit);
    static QList<ProjectRecord> all(SqlSession &s);
    // What the project spent (charged) and holds in a month ("YYYY-MM").
    static QPair<qint64, qint64> spend(SqlSession &s, const QString &projectId, const QString &month);
};

} // namespace gw
