#pragma once

#include "databaseurl.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

#include <memory>
#include <unordered_map>

namespace gw {

class SqliteStatementCache;

// One database connection, owned by the thread that opened it (QSql's rule),
// with prepared statements cached by their text. Every failure throws
// StoreError, so store work reads as straight-line code.
class SqlSession
{
public:
    SqlSession(const DatabaseUrl &url, const QString &connectionName);
    ~SqlSession();
    SqlSession(const SqlSession &) = delete;
    SqlSession &operator=(const SqlSession &) = delete;

    SqlDialect dialect() const { return m_dialect; }
    bool isPostgres() const { return m_dialect == SqlDialect::Postgres; }

    // Prepares (once) and runs a statement with positional '?' placeholders.
    // A typed null variant binds as NULL, any QString (a null one too) as
    // text, a QByteArray as UTF-8 text: the schema has no binary columns,
    // and bodies and ids arrive as UTF-8.
    // The returned query stays valid until the same text is run again.
    QSqlQuery &exec(const QString &sql, const QVariantList &binds = {});
    // Runs a statement that returns no rows (INSERT, UPDATE, DELETE) and
    // answers the rows it changed. On SQLite it bypasses QSqlQuery's binding,
    // the writer's largest cost (see SqliteStatementCache).
    int run(const QString &sql, const QVariantList &binds = {});
    // Runs a statement without preparing it: DDL, transaction control.
    void execRaw(const QString &sql);

    // Ends every open result set, so that no statement pins an old snapshot
    // (SQLite) or a portal (PostgreSQL) past the job that ran it.
    void finishAll();

    // Drops every statement and closes the connection; the store thread
    // opens a new session for the next job.
    void close();

    void begin();
    void commit();
    void rollback();

    QSqlDatabase &database() { return m_db; }

private:
    void configure();

    SqlDialect m_dialect;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_prepared;
    std::unique_ptr<SqliteStatementCache> m_native; // SQLite only
};

} // namespace gw
