#include "keyblockrepository.h"

#include "sqlsession.h"
#include "sqlvalues.h"

namespace gw {

namespace {

const QString kColumns = QStringLiteral("id, key_id, key_prefix, provider, reason, created_by, created_at");

KeyBlock fromQuery(const QSqlQuery &q)
{
    KeyBlock b;
    b.id = q.value(0).toString();
    b.keyId = q.value(1).toString();
    b.keyPrefix = q.value(2).toString();
    b.provider = q.value(3).toString();
    b.reason = q.value(4).toString();
    b.createdBy = q.value(5).toString();
    b.createdAtMs = q.value(6).toLongLong();
    return b;
}

} // namespace

void KeyBlockRepository::insert(SqlSession &s, const KeyBlock &b)
{
    s.run(QStringLiteral("INSERT INTO key_blocks (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?)"),
           {b.id, SqlValues::nullableText(b.keyId), SqlValues::nullableText(b.keyPrefix), b.provider, b.reason,
            SqlValues::nullableText(b.createdBy), b.createdAtMs});
}

void KeyBlockRepository::remove(SqlSession &s, const QString &id)
{
    s.run(QStringLiteral("DELETE FROM key_blocks WHERE id = ?"), {id});
}

std::optional<KeyBlock> KeyBlockRepository::find(SqlSession &s, const QString &id)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM key_blocks WHERE id = ?"), {id});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

std::optional<KeyBlock> KeyBlockRepository::findSame(SqlSession &s, const KeyBlock &b)
{
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM key_blocks WHERE COALESCE(key_id, '') = ? AND COALESCE(key_prefix, '') = ? "
                                               "AND provider = ? ORDER BY id LIMIT 1"),
                          {b.keyId, b.keyPrefix, b.provider});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

Page<KeyBlock> KeyBlockRepository::list(SqlSession &s, const QString &keyId, const QString &cursor, int limit)
{
    QList<KeyBlock> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns
                              + QStringLiteral(" FROM key_blocks WHERE id > ? AND (? = '' OR key_id = ?) ORDER BY id LIMIT ?"),
                          {cursor, keyId, keyId, limit + 1});
    while (q.next())
        rows.append(fromQuery(q));
    return makePage(std::move(rows), limit, [](const KeyBlock &b) { return b.id; });
}

QList<KeyBlock> KeyBlockRepository::loadAll(SqlSession &s)
{
    QList<KeyBlock> rows;
    QSqlQuery &q = s.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM key_blocks ORDER BY id"));
    while (q.next())
        rows.append(fromQuery(q));
    return rows;
}

} // namespace gw
