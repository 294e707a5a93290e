#include "sqlitestatementcache.h"

#include "common/serviceerror.h"

#include <simdjson.h>
#include <sqlite3.h>

namespace gw {

namespace {

StoreError::Kind classify(int extendedCode)
{
    if (extendedCode == SQLITE_CONSTRAINT_UNIQUE || extendedCode == SQLITE_CONSTRAINT_PRIMARYKEY)
        return StoreError::Kind::Conflict;
    switch (extendedCode & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        // The database file, not the statement: the same work may succeed later.
        return StoreError::Kind::Unavailable;
    default:
        return StoreError::Kind::Failed;
    }
}

// Appends `text` as UTF-8 to `scratch`, whose capacity the caller made
// large enough (3 bytes per UTF-16 unit), so earlier pieces never move.
QByteArrayView appendUtf8(const QString &text, QByteArray *scratch)
{
    const char16_t *units = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype n = text.size();
    const qsizetype start = scratch->size();
    // Two plain loops the compiler vectorises: is it ASCII, then narrow it.
    char16_t seen = 0;
    for (qsizetype i = 0; i < n; ++i)
        seen |= units[i];
    if (seen < 0x80) {
        scratch->resize(start + n);
        char *to = scratch->data() + start;
        for (qsizetype i = 0; i < n; ++i)
            to[i] = char(units[i]);
    } else {
        scratch->append(text.toUtf8());
    }
    return QByteArrayView(*scratch).sliced(start);
}

int bindOne(sqlite3_stmt *stmt, int index, const QVariant &v, QByteArray *scratch)
{
    if (v.isNull())
        return sqlite3_bind_null(stmt, index);
    switch (v.typeId()) {
    case QMetaType::QString: {
        // SQLite stores UTF-8: text bound as UTF-16 is converted by SQLite
        // one character at a time, into a fresh allocation (4% of the
        // writer). Ids, names and prices are ASCII; copying those is cheaper.
        const QByteArrayView utf8 = appendUtf8(*static_cast<const QString *>(v.constData()), scratch);
        // An empty string stays text, not NULL: SQLite reads a null pointer as NULL.
        return sqlite3_bind_text(stmt, index, utf8.isEmpty() ? "" : utf8.data(), int(utf8.size()), SQLITE_STATIC);
    }
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::Bool:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Long:
        return sqlite3_bind_int64(stmt, index, v.toLongLong());
    case QMetaType::ULongLong:
    case QMetaType::ULong:
        return sqlite3_bind_int64(stmt, index, sqlite3_int64(v.toULongLong()));
    case QMetaType::Double:
    case QMetaType::Float:
        return sqlite3_bind_double(stmt, index, v.toDouble());
    case QMetaType::QByteArray: {
        // UTF-8 text (SqlSession's rule), bound as it is when it is valid;
        // otherwise as QString::fromUtf8 would have made it.
        const QByteArray &bytes = *static_cast<const QByteArray *>(v.constData());
        if (simdjson::validate_utf8(bytes.constData(), size_t(bytes.size())))
            return sqlite3_bind_text(stmt, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
        const QString text = QString::fromUtf8(bytes);
        return sqlite3_bind_text16(stmt, index, text.utf16(), int(text.size() * sizeof(char16_t)), SQLITE_TRANSIENT);
    }
    default: {
        const QString text = v.toString();
        return sqlite3_bind_text16(stmt, index, text.utf16(), int(text.size() * sizeof(char16_t)), SQLITE_TRANSIENT);
    }
    }
}

} // namespace

SqliteStatementCache::SqliteStatementCache(sqlite3 *db)
    : m_db(db)
{
}

SqliteStatementCache::~SqliteStatementCache()
{
    clear();
}

void SqliteStatementCache::clear()
{
    for (auto &entry : m_statements)
        sqlite3_finalize(entry.second);
    m_statements.clear();
}

sqlite3_stmt *SqliteStatementCache::prepared(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it != m_statements.end())
        return it->second;
    sqlite3_stmt *stmt = nullptr;
    const int code = sqlite3_prepare16_v3(m_db, sql.utf16(), int(sql.size() * sizeof(char16_t)), SQLITE_PREPARE_PERSISTENT,
                                          &stmt, nullptr);
    if (code != SQLITE_OK || !stmt) {
        sqlite3_finalize(stmt);
        throw StoreError(QStringLiteral("prepare failed: %1 [%2]").arg(QString::fromUtf8(sqlite3_errmsg(m_db)), sql.left(200)),
                         classify(sqlite3_extended_errcode(m_db)));
    }
    m_statements.emplace(sql, stmt);
    return stmt;
}

void SqliteStatementCache::fail(const QString &sql, int code) const
{
    throw StoreError(QStringLiteral("%1 [%2]").arg(QString::fromUtf8(sqlite3_errmsg(m_db)), sql.left(200)), classify(code));
}

int SqliteStatementCache::run(const QString &sql, const QVariantList &binds)
{
    sqlite3_stmt *stmt = prepared(sql);
    if (binds.size() != sqlite3_bind_parameter_count(stmt))
        throw StoreError(QStringLiteral("%1 values for %2 placeholders [%3]")
                             .arg(binds.size())
                             .arg(sqlite3_bind_parameter_count(stmt))
                             .arg(sql.left(200)));
    size_t textUnits = 0;
    for (const QVariant &v : binds) {
        if (v.typeId() == QMetaType::QString)
            textUnits += size_t(static_cast<const QString *>(v.constData())->size());
    }
    m_utf8.resize(0); // keeps the capacity
    m_utf8.reserve(qsizetype(3 * textUnits));
    for (qsizetype i = 0; i < binds.size(); ++i) {
        if (const int code = bindOne(stmt, int(i) + 1, binds.at(i), &m_utf8); code != SQLITE_OK) {
            sqlite3_clear_bindings(stmt);
            fail(sql, code);
        }
    }
    int code;
    do {
        code = sqlite3_step(stmt);
    } while (code == SQLITE_ROW);
    // Reset at once: a statement left mid-way would pin its read snapshot,
    // and the bindings point into `binds`.
    const int extended = code == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(m_db);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (code != SQLITE_DONE)
        fail(sql, extended);
    return sqlite3_changes(m_db);
}

} // namespace gw
