#include "sharedledger.h"

#include "common/timeformat.h"
#include "holdbook.h"
#include "observability/logger.h"
#include "store/sqlsession.h"
#include "store/store.h"

namespace gw {

SharedLedger::SharedLedger(Store &store, const QString &owner)
    : m_store(store)
    , m_owner(owner)
{
}

void SharedLedger::openHold(const HoldRequest &request, QObject *context, Callback<HoldRecord> done)
{
    const QString owner = m_owner;
    std::atomic<quint64> *refusals = &m_refusals;
    m_store.write<HoldRecord>(context, [request, owner](SqlSession &s) { return HoldBook::open(s, request, owner, TimeFormat::nowMs()); },
                              [refusals, done = std::move(done)](Outcome<HoldRecord> o) {
                                  if (!o.ok() && o.error().kind() == ServiceError::Kind::PaymentRequired)
                                      ++*refusals;
                                  done(std::move(o));
                              });
}

void SharedLedger::settle(const QString &holdId, const SettleRequest &request, QObject *context, Callback<SettleResult> done)
{
    std::atomic<quint64> *overages = &m_overages;
    m_store.write<SettleResult>(context, [holdId, request](SqlSession &s) { return HoldBook::settle(s, holdId, request, TimeFormat::nowMs()); },
                                [overages, done = std::move(done)](Outcome<SettleResult> o) {
                                    if (o.ok() && o.value().overage > 0)
                                        ++*overages;
                                    done(std::move(o));
                                });
}

void SharedLedger::release(const QString &holdId)
{
    m_store.writeDetached([holdId](SqlSession &s) { HoldBook::release(s, holdId, TimeFormat::nowMs()); });
}

void SharedLedger::holds(const QString &userId, const QString &cursor, int limit, QObject *context, Callback<Page<HoldRecord>> done)
{
    m_store.read<Page<HoldRecord>>(context, [userId, cursor, limit](SqlSession &s) { return HoldBook::list(s, userId, cursor, limit); },
                                   std::move(done));
}

int SharedLedger::recover(QString *error)
{
    const QString owner = m_owner;
    auto o = m_store.writeAndWait<int>([owner](SqlSession &s) { return HoldBook::releaseAllOf(s, owner, TimeFormat::nowMs()); });
    if (!o.ok()) {
        *error = o.error().message();
        return -1;
    }
    if (o.value() > 0)
        Logger::warning("released holds left open by a previous run", {{"holds", o.value()}});
    return o.value();
}

} // namespace gw
