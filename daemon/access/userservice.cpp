#include "userservice.h"

#include "admin/adminviews.h"
#include "billing/ledgerbook.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "store/auditlog.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "store/userrepository.h"

namespace gw {

UserService::UserService(Store &store, RecordDirectory<UserState> &users, const PlanBook &plans)
    : m_store(store)
    , m_users(users)
    , m_plans(plans)
{
}

std::optional<QString> UserService::resolvePlan(const UserSpec &spec, QString *error) const
{
    if (!spec.plan || spec.plan->isEmpty())
        return spec.plan;
    for (const auto &p : m_plans.all()) {
        if (p->id == *spec.plan || p->name == *spec.plan)
            return p->id;
    }
    *error = QStringLiteral("no plan %1").arg(*spec.plan);
    return std::nullopt;
}

void UserService::create(const UserSpec &spec_, const AdminActor &actor, QObject *context, Callback<UserAccount> done)
{
    UserSpec spec = spec_;
    QString planError;
    spec.plan = resolvePlan(spec_, &planError);
    if (!planError.isEmpty()) {
        done(ServiceError::invalid(QStringLiteral("plan"), planError));
        return;
    }
    RecordDirectory<UserState> *users = &m_users;
    m_store.write<UserAccount>(context, [spec, actor](SqlSession &s) {
        UserRecord u;
        u.id = IdGenerator::make("usr");
        u.email = spec.email.value_or(QString());
        u.name = spec.name.value_or(QString());
        u.status = spec.status.value_or(QStringLiteral("active"));
        u.plan = spec.plan.value_or(QString());
        u.createdAtMs = u.updatedAtMs = TimeFormat::nowMs();
        try {
            UserRepository::insert(s, u);
        } catch (const ServiceError &e) {
            if (e.kind() == ServiceError::Kind::Conflict)
                throw ServiceError(QStringLiteral("a user with email %1 already exists").arg(u.email),
                                   ServiceError::Kind::Conflict, QStringLiteral("email"));
            throw;
        }
        LedgerBook::openAccount(s, u.id, u.createdAtMs);
        if (spec.initialCredits && *spec.initialCredits > 0) {
            LedgerPosting grant;
            grant.userId = u.id;
            grant.type = QStringLiteral("grant");
            grant.amount = *spec.initialCredits;
            grant.reason = QStringLiteral("initial credits");
            grant.createdBy = actor.tokenId;
            grant.createdAtMs = u.createdAtMs;
            LedgerBook::post(s, grant, false);
        }
        UserAccount account{u, LedgerBook::balance(s, u.id)};
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("user"), u.id, std::nullopt,
                         AdminViews::user(account.user, account.balance));
        return account;
    }, [users, done = std::move(done)](Outcome<UserAccount> o) {
        if (o.ok())
            users->upsert(UserState{o.value().user.id, o.value().user.status, o.value().user.plan});
        done(std::move(o));
    });
}

void UserService::update(const QString &id, const UserSpec &spec_, const AdminActor &actor, QObject *context,
                         Callback<UserAccount> done)
{
    UserSpec spec = spec_;
    QString planError;
    spec.plan = resolvePlan(spec_, &planError);
    if (!planError.isEmpty()) {
        done(ServiceError::invalid(QStringLiteral("plan"), planError));
        return;
    }
    RecordDirectory<UserState> *users = &m_users;
    m_store.write<UserAccount>(context, [id, spec, actor](SqlSession &s) {
        auto found = UserRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no user %1").arg(id));
        const AccountBalance balance = LedgerBook::balance(s, id);
        const QJsonObject before = AdminViews::user(*found, balance);
        UserRecord u = *found;
        if (spec.email)
            u.email = *spec.email;
        if (spec.name)
            u.name = *spec.name;
        if (spec.status)
            u.status = *spec.status;
        if (spec.plan)
            u.plan = *spec.plan;
        u.updatedAtMs = TimeFormat::nowMs();
        try {
            UserRepository::update(s, u);
        } catch (const ServiceError &e) {
            if (e.kind() == ServiceError::Kind::Conflict)
                throw ServiceError(QStringLiteral("a user with email %1 already exists").arg(u.email),
                                   ServiceError::Kind::Conflict, QStringLiteral("email"));
            throw;
        }
        AuditLog::record(s, actor, QStringLiteral("update"), QStringLiteral("user"), id, before, AdminViews::user(u, balance));
        return UserAccount{u, balance};
    }, [users, done = std::move(done)](Outcome<UserAccount> o) {
        if (o.ok())
            users->upsert(UserState{o.value().user.id, o.value().user.status, o.value().user.plan});
        done(std::move(o));
    });
}

void UserService::get(const QString &id, QObject *context, Callback<UserAccount> done)
{
    m_store.readFresh<UserAccount>(context, [id](SqlSession &s) {
        auto found = UserRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no user %1").arg(id));
        return UserAccount{*found, LedgerBook::balance(s, id)};
    }, std::move(done));
}

void UserService::list(const QString &cursor, int limit, const QString &emailFilter, QObject *context,
                       Callback<Page<UserAccount>> done)
{
    m_store.readFresh<Page<UserAccount>>(context, [cursor, limit, emailFilter](SqlSession &s) {
        Page<UserRecord> users = UserRepository::list(s, cursor, limit, emailFilter);
        Page<UserAccount> page;
        page.nextCursor = users.nextCursor;
        for (const UserRecord &u : std::as_const(users.items))
            page.items.append(UserAccount{u, LedgerBook::balance(s, u.id)});
        return page;
    }, std::move(done));
}

} // namespace gw
