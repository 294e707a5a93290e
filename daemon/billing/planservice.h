#pragma once

#include "access/adminactor.h"
#include "common/callback.h"
#include "common/recorddirectory.h"
#include "planrecord.h"
#include "planspec.h"

#include <QObject>

namespace gw {

class Store;

using PlanBook = RecordDirectory<PlanRecord>;

// Plans: which models an account may use and how it pays.
class PlanService
{
public:
    PlanService(Store &store, PlanBook &plans);

    void create(const PlanSpec &spec, const AdminActor &actor, QObject *context, Callback<PlanRecord> done);
    void update(const QString &id, const PlanSpec &spec, const AdminActor &actor, QObject *context, Callback<PlanRecord> done);
    void remove(const QString &id, const AdminActor &actor, QObject *context, Callback<bool> done);

private:
    Store &m_store;
    PlanBook &m_plans;
};

} // namespace gw
