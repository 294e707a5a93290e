#include "migrator.h"

#include "sqlsession.h"
#include "common/serviceerror.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace gw {

namespace {

// Any constant will do, as long as no other user of the database takes it.
constexpr qint64 kMigrationLockKey = 0x67617465776179; // "gateway"

QString dialectDir(SqlDialect dialect)
{
    return dialect == SqlDialect::Postgres ? QStringLiteral(":/sql/postgres") : QStringLiteral(":/sql/sqlite");
}

} // namespace

QList<Migrator::Migration> Migrator::available(SqlDialect dialect)
{
    static const QRegularExpression fileName(QStringLiteral("^(\\d{4})_([a-z0-9_]+)\\.sql$"));
    QList<Migration> out;
    const QDir dir(dialectDir(dialect));
    for (const QString &entry : dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name)) {
        const auto m = fileName.match(entry);
        if (!m.hasMatch())
            continue;
        QFile file(dir.filePath(entry));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        out.append({m.captured(1).toInt(), m.captured(2), QString::fromUtf8(file.readAll())});
    }
    std::sort(out.begin(), out.end(), [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return out;
}

int Migrator::latestVersion(SqlDialect dialect)
{
    const auto all = available(dialect);
    return all.isEmpty() ? 0 : all.last().version;
}

int Migrator::currentVersion(SqlSession &session)
{
    session.execRaw(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                   "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
    QSqlQuery &q = session.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    const int version = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    return version;
}

int Migrator::migrate(SqlSession &session, int target)
{
    const QList<Migration> migrations = available(session.dialect());
    if (target < 0)
        target = migrations.isEmpty() ? 0 : migrations.last().version;

    if (session.isPostgres())
        session.execRaw(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kMigrationLockKey));
    int applied = 0;
    try {
        session.begin();
        const int current = currentVersion(session);
        if (current > latestVersion(session.dialect()))
            throw StoreError(QStringLiteral("the database schema is at version %1, newer than this gatewayd knows (%2); "
                                            "run a newer gatewayd")
                                 .arg(current)
                                 .arg(latestVersion(session.dialect())));
        for (const Migration &m : migrations) {
            if (m.version <= current || m.version > target)
                continue;
            for (const QString &statement : splitStatements(m.sql)) {
                try {
                    session.execRaw(statement);
                } catch (const StoreError &e) {
                    throw StoreError(QStringLiteral("migration %1_%2 failed: %3")
                                         .arg(m.version, 4, 10, QLatin1Char('0'))
                                         .arg(m.name, e.message()));
                }
            }
            session.run(QStringLiteral("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)"),
                         {m.version, m.name, QDateTime::currentMSecsSinceEpoch()});
            ++applied;
        }
        session.finishAll();
        session.commit();
    } catch (const StoreError &) {
        session.finishAll();
        session.rollback();
        if (session.isPostgres())
            session.execRaw(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kMigrationLockKey));
        throw;
    }
    if (session.isPostgres())
        session.execRaw(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kMigrationLockKey));
    return applied;
}

QStringList Migrator::splitStatements(const QString &script)
{
    QStringList out;
    QString current;
    bool inQuote = false;
    for (qsizetype i = 0; i < script.size(); ++i) {
        const QChar c = script.at(i);
        if (!inQuote && c == QLatin1Char('-') && i + 1 < script.size() && script.at(i + 1) == QLatin1Char('-')) {
            while (i < script.size() && script.at(i) != QLatin1Char('\n'))
                ++i;
            current += QLatin1Char('\n');
            continue;
        }
        if (c == QLatin1Char('\''))
            inQuote = !inQuote;
        if (c == QLatin1Char(';') && !inQuote) {
            if (!current.trimmed().isEmpty())
                out.append(current.trimmed());
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.trimmed().isEmpty())
        out.append(current.trimmed());
    return out;
}

} // namespace gw
