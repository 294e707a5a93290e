#pragma once

#include "billing/planrecord.h"

#include <QList>

#include <optional>

namespace gw {

class SqlSession;

class PlanRepository
{
public:
    static void insert(SqlSession &s, const PlanRecord &p);
    static void update(SqlSession &s, const PlanRecord &p);
    static void remove(SqlSession &s, const QString &id);
    static std::optional<PlanRecord> find(SqlSession &s, const QString &idOrName);
    static QList<PlanRecord> all(SqlSession &s);
    static int usersOn(SqlSession &s, const QString &planId);
};

} // namespace gw
