#include "creditservice.h"

#include "admin/adminviews.h"
#include "common/timeformat.h"
#include "ledger.h"
#include "ledgerbook.h"
#include "store/auditlog.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "store/userrepository.h"

namespace gw {

CreditService::CreditService(Store &store, Ledger &ledger)
    : m_store(store)
    , m_ledger(ledger)
{
}

void CreditService::grant(const QString &userId, const CreditGrantSpec &spec, const AdminActor &actor,
                          QObject *context, Callback<GrantResult> done)
{
    m_store.write<GrantResult>(context, [userId, spec, actor](SqlSession &s) {
        if (!UserRepository::find(s, userId))
            throw ServiceError::notFound(QStringLiteral("no user %1").arg(userId));
        LedgerPosting draft;
        draft.userId = userId;
        draft.type = spec.amountMicro > 0 ? QStringLiteral("grant") : QStringLiteral("adjustment");
        draft.amount = spec.amountMicro;
        draft.reason = spec.reason;
        draft.idempotencyKey = spec.idempotencyKey.value_or(QString());
        draft.createdBy = actor.tokenId;
        draft.createdAtMs = TimeFormat::nowMs();
        const LedgerBook::PostResult posted = LedgerBook::post(s, draft, false);
        if (!posted.replayed)
            AuditLog::record(s, actor, draft.type, QStringLiteral("credits"), userId, std::nullopt,
                             AdminViews::posting(posted.posting));
        return GrantResult{posted.posting, posted.replayed, LedgerBook::balance(s, userId)};
    }, [ledger = &m_ledger](const GrantResult &r) {
        if (!r.replayed)
            ledger->grantCommitted(r.posting.userId, r.posting.amount);
    }, std::move(done));
}

void CreditService::ledger(const QString &userId, const QString &cursor, int limit, QObject *context,
                           Callback<Page<LedgerPosting>> done)
{
    m_store.readFresh<Page<LedgerPosting>>(context, [userId, cursor, limit](SqlSession &s) {
        if (!UserRepository::find(s, userId))
            throw ServiceError::notFound(QStringLiteral("no user %1").arg(userId));
        return LedgerBook::list(s, userId, cursor, limit);
    }, std::move(done));
}

} // namespace gw
