#include "databasebootstrap.h"

#include "common/serviceerror.h"
#include "crypto/masterkey.h"
#include "observability/logger.h"
#include "store/migrator.h"
#include "store/sqlsession.h"

namespace gw {

DatabaseBootstrap::Result DatabaseBootstrap::prepare(const DatabaseUrl &url, const MasterKey &key, QString *message)
{
    std::unique_ptr<SqlSession> session;
    try {
        session = std::make_unique<SqlSession>(url, QStringLiteral("bootstrap"));
    } catch (const ServiceError &e) {
        *message = e.message();
        return Result::Unreachable;
    }
    try {
        const int before = Migrator::currentVersion(*session);
        const int applied = Migrator::migrate(*session);
        if (applied > 0)
            Logger::info("database migrated", {{"from_version", before}, {"to_version", before + applied}});
    } catch (const ServiceError &e) {
        *message = e.message();
        return Result::MigrationFailed;
    }
    try {
        const QString check = QString::fromLatin1(key.checkValue());
        session->begin();
        QSqlQuery &q = session->exec(QStringLiteral("SELECT value FROM meta WHERE key = 'master_key_check'"));
        if (q.next()) {
            const QString stored = q.value(0).toString();
            q.finish();
            session->rollback();
            if (stored != check) {
                *message = QStringLiteral("the master key does not match this database (it was set up with another "
                                          "--master-key-file); refusing to start");
                return Result::WrongMasterKey;
            }
        } else {
            q.finish();
            session->exec(QStringLiteral("INSERT INTO meta (key, value) VALUES ('master_key_check', ?)"), {check});
            session->finishAll();
            session->commit();
        }
    } catch (const ServiceError &e) {
        *message = e.message();
        return Result::Unreachable;
    }
    return Result::Ready;
}

} // namespace gw
