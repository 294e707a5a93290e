#include "multirowinsert.h"

#include "common/serviceerror.h"
#include "sqlsession.h"

#include <bit>

namespace gw {

namespace {

// One element of a PostgreSQL array literal. Strings are always quoted, so
// that '' and the text NULL stay what they are.
void appendArrayElement(QString &array, const QVariant &value)
{
    if (value.isNull()) {
        array += QLatin1String("NULL");
        return;
    }
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
        array += QString::number(value.toLongLong());
        return;
    case QMetaType::QString:
    case QMetaType::QByteArray: {
        const QString text = value.toString(); // a QByteArray is UTF-8 text
        array += QLatin1Char('"');
        const QChar *run = text.constData();
        const QChar *end = run + text.size();
        for (const QChar *p = run; p != end; ++p) {
            if (*p == QLatin1Char('"') || *p == QLatin1Char('\\')) {
                array.append(run, p - run);
                array += QLatin1Char('\\');
                run = p;
            }
        }
        array.append(run, end - run);
        array += QLatin1Char('"');
        return;
    }
    default:
        throw StoreError(QStringLiteral("no array form for a value of type %1").arg(QLatin1String(value.metaType().name())));
    }
}

} // namespace

MultiRowInsert::MultiRowInsert(const QString &table, const QString &columns, int maxRows)
    : m_table(table)
    , m_columns(columns)
    , m_columnCount(int(columns.count(QLatin1Char(','))) + 1)
{
    QString row = QStringLiteral("(");
    for (int c = 0; c < m_columnCount; ++c)
        row += c == 0 ? QStringLiteral("?") : QStringLiteral(", ?");
    row += QLatin1Char(')');
    const QString head = QStringLiteral("INSERT INTO ") + table + QStringLiteral(" (") + columns + QStringLiteral(") VALUES ");
    const int top = std::bit_width(unsigned(qMax(1, maxRows))) - 1;
    for (int i = 0; i <= top; ++i) {
        const int rows = 1 << i;
        QString sql;
        sql.reserve(head.size() + rows * (row.size() + 2));
        sql += head;
        for (int r = 0; r < rows; ++r) {
            if (r > 0)
                sql += QStringLiteral(", ");
            sql += row;
        }
        m_values.push_back(std::move(sql));
    }
}

const QString &MultiRowInsert::valuesSql(int rows) const
{
    Q_ASSERT(rows > 0 && std::has_single_bit(unsigned(rows)) && rows <= maxRows());
    return m_values[size_t(std::bit_width(unsigned(rows)) - 1)];
}

void MultiRowInsert::split(int total, const std::function<void(int offset, int rows)> &piece) const
{
    const int max = maxRows();
    int offset = 0;
    while (total - offset >= max) {
        piece(offset, max);
        offset += max;
    }
    for (int rows = max / 2; rows > 0; rows /= 2) {
        if (total - offset >= rows) {
            piece(offset, rows);
            offset += rows;
        }
    }
}

void MultiRowInsert::run(SqlSession &s, int rows, const RowBinder &bindRow) const
{
    if (rows <= 0)
        return;
    if (s.isPostgres() && rows > 1)
        runArrays(s, rows, bindRow);
    else
        runValues(s, rows, bindRow);
}

void MultiRowInsert::runValues(SqlSession &s, int rows, const RowBinder &bindRow) const
{
    split(rows, [&](int offset, int count) {
        QVariantList binds;
        binds.reserve(qsizetype(count) * m_columnCount);
        for (int i = offset; i < offset + count; ++i)
            bindRow(binds, i);
        s.run(valuesSql(count), binds);
    });
}

void MultiRowInsert::runArrays(SqlSession &s, int rows, const RowBinder &bindRow) const
{
    QVariantList row;
    row.reserve(m_columnCount);
    for (int start = 0; start < rows; start += maxRows()) {
        const int count = qMin(maxRows(), rows - start);
        std::vector<QString> arrays(size_t(m_columnCount), QStringLiteral("{"));
        std::vector<bool> numeric(size_t(m_columnCount), false);
        for (int i = start; i < start + count; ++i) {
            row.clear();
            bindRow(row, i);
            Q_ASSERT(row.size() == m_columnCount);
            for (int c = 0; c < m_columnCount; ++c) {
                QString &array = arrays[size_t(c)];
                if (i > start)
                    array += QLatin1Char(',');
                appendArrayElement(array, row.at(c));
                // Columns hold one type; a typed null says which too.
                numeric[size_t(c)] = row.at(c).typeId() != QMetaType::QString && row.at(c).typeId() != QMetaType::QByteArray;
            }
        }
        // bigint[] serves every integer column: INSERT casts to INTEGER and
        // SMALLINT on assignment.
        QString sql = QStringLiteral("INSERT INTO ") + m_table + QStringLiteral(" (") + m_columns
                      + QStringLiteral(") SELECT * FROM unnest(");
        QVariantList binds;
        binds.reserve(m_columnCount);
        for (int c = 0; c < m_columnCount; ++c) {
            if (c > 0)
                sql += QStringLiteral(", ");
            sql += numeric[size_t(c)] ? QStringLiteral("?::bigint[]") : QStringLiteral("?::text[]");
            arrays[size_t(c)] += QLatin1Char('}');
            binds.append(std::move(arrays[size_t(c)]));
        }
        sql += QLatin1Char(')');
        s.run(sql, binds);
    }
}

} // namespace gw
