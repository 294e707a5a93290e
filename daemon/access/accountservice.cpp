#include "accountservice.h"

#include "billing/ledgerbook.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "store/userrepository.h"

namespace gw {

AccountService::AccountService(Store &store)
    : m_store(store)
{
}

void AccountService::summary(const QString &userId, QObject *context, Callback<AccountSummary> done)
{
    m_store.readFresh<AccountSummary>(context, [userId](SqlSession &s) {
        auto user = UserRepository::find(s, userId);
        if (!user)
            throw ServiceError::notFound(QStringLiteral("no account"));
        AccountSummary a;
        a.user = *user;
        a.balance = LedgerBook::balance(s, userId);
        QSqlQuery &q = s.exec(QStringLiteral("SELECT subscription_remaining, subscription_month FROM balances WHERE user_id = ?"), {userId});
        if (q.next()) {
            a.subscriptionRemaining = q.value(0).toLongLong();
            a.subscriptionMonth = q.value(1).toString();
        }
        return a;
    }, std::move(done));
}

} // namespace gw
