#include "sqlsession.h"

#include "common/serviceerror.h"
#include "sqlitestatementcache.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

#include <sqlite3.h>

namespace gw {

namespace {

StoreError::Kind classify(const QSqlError &error, SqlDialect dialect)
{
    const QString code = error.nativeErrorCode();
    const QString text = error.text();
    if (dialect == SqlDialect::Postgres) {
        if (code == QLatin1String("23505"))
            return StoreError::Kind::Conflict; // unique_violation
        if (code.startsWith(QLatin1String("08")) || error.type() == QSqlError::ConnectionError)
            return StoreError::Kind::Unavailable;
    } else {
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555)
        if (code == QLatin1String("2067") || code == QLatin1String("1555") || text.contains(QLatin1String("UNIQUE constraint")))
            return StoreError::Kind::Conflict;
    }
    return StoreError::Kind::Failed;
}

} // namespace

SqlSession::SqlSession(const DatabaseUrl &url, const QString &connectionName)
    : m_dialect(url.dialect)
    , m_connectionName(connectionName)
{
    if (url.dialect == SqlDialect::Sqlite) {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        m_db.setDatabaseName(url.path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    } else {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        m_db.setHostName(url.host);
        m_db.setPort(url.port);
        m_db.setUserName(url.user);
        m_db.setPassword(url.password);
        m_db.setDatabaseName(url.database);
        QString options = url.options;
        if (!options.contains(QLatin1String("connect_timeout")))
            options += (options.isEmpty() ? QString() : QStringLiteral(";")) + QStringLiteral("connect_timeout=5");
        m_db.setConnectOptions(options);
    }
    if (!m_db.isValid())
        throw StoreError(QStringLiteral("the Qt SQL driver for %1 is not installed").arg(url.display()),
                         StoreError::Kind::Unavailable);
    if (!m_db.open())
        throw StoreError(QStringLiteral("cannot open %1: %2").arg(url.display(), m_db.lastError().text()),
                         StoreError::Kind::Unavailable);
    configure();
}

SqlSession::~SqlSession()
{
    close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

void SqlSession::close()
{
    m_native.reset();
    m_prepared.clear();
    m_db.close();
}

void SqlSession::configure()
{
    if (m_dialect == SqlDialect::Sqlite) {
        const QVariant handle = m_db.driver()->handle();
        if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
            m_native = std::make_unique<SqliteStatementCache>(*static_cast<sqlite3 *const *>(handle.constData()));
        // WAL lets readers run beside the one writer; synchronous=NORMAL keeps
        // every commit safe against a killed process (not a power cut), which
        // is the durability the ledger promises (see ARCHITECTURE.md).
        // Turning a new file to WAL needs it to itself for a moment, and
        // SQLite answers "locked" at once rather than waiting: connections
        // opened together (the store's writer and readers, two daemons
        // starting) retry for up to the busy timeout.
        for (int attempt = 0;; ++attempt) {
            try {
                execRaw(QStringLiteral("PRAGMA journal_mode=WAL"));
                break;
            } catch (const StoreError &) {
                if (attempt >= 1000)
                    throw;
                QThread::msleep(10);
            }
        }
        execRaw(QStringLiteral("PRAGMA synchronous=NORMAL"));
        execRaw(QStringLiteral("PRAGMA foreign_keys=ON"));
        execRaw(QStringLiteral("PRAGMA temp_store=MEMORY"));
    } else {
        execRaw(QStringLiteral("SET TIME ZONE 'UTC'"));
        // libpq prints NOTICEs ("already exists, skipping") to stderr otherwise.
        execRaw(QStringLiteral("SET client_min_messages = warning"));
    }
}

QSqlQuery &SqlSession::exec(const QString &sql, const QVariantList &binds)
{
    auto it = m_prepared.find(sql);
    if (it == m_prepared.end()) {
        auto query = std::make_unique<QSqlQuery>(m_db);
        query->setForwardOnly(true);
        if (!query->prepare(sql))
            throw StoreError(QStringLiteral("prepare failed: %1 [%2]").arg(query->lastError().text(), sql.left(200)),
                             classify(query->lastError(), m_dialect));
        it = m_prepared.emplace(sql, std::move(query)).first;
    }
    QSqlQuery &query = *it->second;
    query.finish();
    for (qsizetype i = 0; i < binds.size(); ++i) {
        const QVariant &v = binds.at(i);
        // A null QString binds as SQL NULL; an absent name or reason means ''
        // here, and typed null variants (SqlValues::nullable*) stay NULL.
        if (v.metaType().id() == QMetaType::QString && !v.isNull() && v.toString().isNull())
            query.bindValue(int(i), QString(QLatin1String("")));
        else if (v.metaType().id() == QMetaType::QByteArray && !v.isNull())
            query.bindValue(int(i), v.toByteArray().isEmpty() ? QString(QLatin1String("")) : QString::fromUtf8(v.toByteArray()));
        else
            query.bindValue(int(i), v);
    }
    if (!query.exec()) {
        const QSqlError error = query.lastError();
        const StoreError::Kind kind = classify(error, m_dialect);
        if (kind == StoreError::Kind::Unavailable)
            m_prepared.clear();
        throw StoreError(QStringLiteral("%1 [%2]").arg(error.text(), sql.left(200)), kind);
    }
    return query;
}

int SqlSession::run(const QString &sql, const QVariantList &binds)
{
    if (m_native)
        return m_native->run(sql, binds);
    QSqlQuery &query = exec(sql, binds);
    const int rows = query.numRowsAffected();
    query.finish();
    return rows;
}

void SqlSession::execRaw(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        throw StoreError(QStringLiteral("%1 [%2]").arg(query.lastError().text(), sql.left(200)),
                         classify(query.lastError(), m_dialect));
}

void SqlSession::finishAll()
{
    for (auto &entry : m_prepared) {
        if (entry.second->isActive())
            entry.second->finish();
    }
}

void SqlSession::begin()
{
    execRaw(m_dialect == SqlDialect::Sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
}

void SqlSession::commit()
{
    execRaw(QStringLiteral("COMMIT"));
}

void SqlSession::rollback()
{
    QSqlQuery query(m_db);
    query.exec(QStringLiteral("ROLLBACK"));
}

} // namespace gw
