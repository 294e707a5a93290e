#pragma once

#include <QString>
#include <QVariantList>

#include <functional>
#include <vector>

namespace gw {

class SqlSession;

// One table's multi-row INSERT, in the form each database takes best.
//
// SQLite: INSERT ... VALUES (?, ...), (?, ...). Row counts are powers of two
// up to a maximum, so that a table has only a handful of statement texts
// (SqlSession prepares each once per connection) and any number of rows runs
// as a few of them (100 = 64 + 32 + 4).
//
// PostgreSQL: one array per column, INSERT ... SELECT * FROM unnest(?::text[],
// ?::bigint[], ...). QPSQL sends bound values as literals of a textual
// EXECUTE, which the server parses and evaluates one by one: a 128-row
// VALUES statement of usage_records is 4,224 of them, and the server spent
// about three times as long on it as on the same rows as 33 arrays.
//
// A single row always takes the plain one-row VALUES statement.
class MultiRowInsert
{
public:
    // Appends row `row`'s values, in column order, to `binds`.
    using RowBinder = std::function<void(QVariantList &binds, int row)>;

    // `maxRows` (rounded down to a power of two) bounds one statement: its
    // bound values (SQLite allows 32,766, PostgreSQL 65,535) and its size.
    MultiRowInsert(const QString &table, const QString &columns, int maxRows);

    int columnCount() const { return m_columnCount; }
    int maxRows() const { return 1 << (int(m_values.size()) - 1); }
    // The VALUES statement for `rows` rows, one of the counts split() yields.
    const QString &valuesSql(int rows) const;
    // Calls `piece(offset, rows)` for consecutive pieces covering [0, total),
    // largest first, each a power of two no larger than maxRows().
    void split(int total, const std::function<void(int offset, int rows)> &piece) const;

    // Inserts `rows` rows. Values are bound exactly as SqlSession::exec
    // binds them for the one-row statement: typed null variants are NULL,
    // a null QString is ''. Throws StoreError.
    void run(SqlSession &s, int rows, const RowBinder &bindRow) const;

private:
    void runValues(SqlSession &s, int rows, const RowBinder &bindRow) const;
    void runArrays(SqlSession &s, int rows, const RowBinder &bindRow) const;

    QString m_table;
    QString m_columns;
    int m_columnCount;
    std::vector<QString> m_values; // [i]: the VALUES statement for 2^i rows
};

} // namespace gw
