#pragma once

#include "access/adminactor.h"
#include "common/callback.h"
#include "costrule.h"
#include "costrulespec.h"
#include "store/page.h"

#include <QObject>

#include <atomic>

namespace gw {

class CostRuleBook;
class Store;

// Creates, changes and removes the cost rules of /admin/v1/cost-rules. A
// rule names an existing channel (by id or name; the rule keeps the id), and
// one channel has at most one rule per model pattern. Each change is written
// with its audit entry in one transaction and reaches the in-memory
// CostRuleBook when it commits.
class CostRuleService
{
public:
    CostRuleService(Store &store, CostRuleBook &book);

    void create(const CostRuleSpec &spec, const AdminActor &actor, QObject *context, Callback<CostRule> done);
    void update(const QString &id, const CostRuleSpec &spec, const AdminActor &actor, QObject *context,
                Callback<CostRule> done);
    void remove(const QString &id, const AdminActor &actor, QObject *context, Callback<CostRule> done);
    void get(const QString &id, QObject *context, Callback<CostRule> done);
    // `channelId` empty lists every channel's rules.
    void list(const QString &channelId, const QString &cursor, int limit, QObject *context, Callback<Page<CostRule>> done);

private:
    Store &m_store;
    CostRuleBook &m_book;
    std::atomic<quint64> m_sequence{0};
};

} // namespace gw
