#pragma once

#include <QByteArray>
#include <QString>
#include <QVariantList>

#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace gw {

// Statements that return no rows, run straight on the sqlite3 handle that
// QSQLITE opened. QSqlResult::bindValue maps every positional value through a
// generated ":N" name (QString::arg, a hash lookup, a QVariant copy): on the
// store writer that cost more than SQLite's own work for a row. Here each
// value is bound as it lies in the QVariant; text goes in as UTF-8 (a
// QString through one reused buffer), the encoding SQLite stores.
//
// Values bind as SqlSession::exec binds them: a typed null variant is NULL,
// a QString (even a null one) is text, a QByteArray is UTF-8 text.
class SqliteStatementCache
{
public:
    explicit SqliteStatementCache(sqlite3 *db);
    ~SqliteStatementCache();
    SqliteStatementCache(const SqliteStatementCache &) = delete;
    SqliteStatementCache &operator=(const SqliteStatementCache &) = delete;

    // Prepares `sql` once, binds, steps it to the end and resets it; returns
    // the rows it changed. Throws StoreError.
    int run(const QString &sql, const QVariantList &binds);
    // Finalizes every statement, as sqlite3_close requires.
    void clear();

private:
    sqlite3_stmt *prepared(const QString &sql);
    [[noreturn]] void fail(const QString &sql, int code) const;

    sqlite3 *m_db;
    std::unordered_map<QString, sqlite3_stmt *> m_statements;
    QByteArray m_utf8; // the current statement's text binds
};

} // namespace gw
