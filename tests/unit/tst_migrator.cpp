#include "common/serviceerror.h"
#include "harness/testdatabase.h"
#include "store/migrator.h"
#include "store/sqlsession.h"

#include <QTest>
#include <QThread>

#include <atomic>

using namespace gw;
using gw::test::TestDatabase;

namespace {

// Every table and column with its type: two schemas with the same signature
// are the same for the daemon's purposes.
QStringList schemaSignature(SqlSession &s)
{
    QStringList out;
    if (s.isPostgres()) {
        QSqlQuery &q = s.exec(QStringLiteral("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                                             "WHERE table_schema = 'public' ORDER BY table_name, column_name"));
        while (q.next())
            out.append(QStringList{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()}.join(QLatin1Char(' ')));
        QSqlQuery &i = s.exec(QStringLiteral("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"));
        while (i.next())
            out.append(QStringLiteral("index ") + i.value(0).toString());
    } else {
        QStringList tables;
        QSqlQuery &q = s.exec(QStringLiteral("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"));
        while (q.next()) {
            out.append(q.value(1).toString() + QLatin1Char(' ') + q.value(0).toString());
            if (q.value(1).toString() == QLatin1String("table"))
                tables.append(q.value(0).toString());
        }
        for (const QString &t : tables) {
            QSqlQuery info(s.database());
            info.exec(QStringLiteral("PRAGMA table_info(%1)").arg(t));
            while (info.next())
                out.append(QStringList{t, info.value(1).toString(), info.value(2).toString(), info.value(3).toString()}.join(QLatin1Char(' ')));
        }
    }
    return out;
}

} // namespace

class TestMigrator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void migrationsArePresentForBothDialectsInStep()
    {
        const auto sqlite = Migrator::available(SqlDialect::Sqlite);
        const auto postgres = Migrator::available(SqlDialect::Postgres);
        QVERIFY(sqlite.size() >= 3);
        QCOMPARE(sqlite.size(), postgres.size());
        for (qsizetype i = 0; i < sqlite.size(); ++i) {
            QCOMPARE(sqlite.at(i).version, int(i + 1));
            QCOMPARE(postgres.at(i).version, sqlite.at(i).version);
            QCOMPARE(postgres.at(i).name, sqlite.at(i).name);
        }
    }

    void splitsStatementsOutsideQuotesAndComments()
    {
        const QStringList parts = Migrator::splitStatements(QStringLiteral(
            "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\nINSERT INTO a VALUES ('c');  \n"));
        QCOMPARE(parts.size(), 2);
        QVERIFY(parts.at(0).contains(QStringLiteral("'a;b'")));
        QVERIFY(!parts.at(0).contains(QStringLiteral("comment")));
    }

    void migratesAnEmptyDatabase_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const QString &d : TestDatabase::dialects())
            QTest::newRow(qPrintable(d)) << d;
    }
    void migratesAnEmptyDatabase()
    {
        QFETCH(QString, dialect);
        TestDatabase db(dialect);
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        SqlSession s(db.parsed(), QStringLiteral("m1"));
        const int latest = Migrator::latestVersion(s.dialect());
        QCOMPARE(Migrator::currentVersion(s), 0);
        QCOMPARE(Migrator::migrate(s), latest);
        QCOMPARE(Migrator::currentVersion(s), latest);
        QCOMPARE(Migrator::migrate(s), 0); // a second start applies nothing
        const QStringList signature = schemaSignature(s);
        for (const char *table : {"users", "api_keys", "channels", "models", "model_routes", "ledger_postings", "holds",
                                  "balances", "audit_log", "admin_tokens", "schema_version"})
            QVERIFY2(signature.join(QLatin1Char('\n')).contains(QLatin1String(table)), table);
    }

    void migratesFromEveryEarlierVersion_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<int>("from");
        for (const QString &d : TestDatabase::dialects()) {
            const int latest = Migrator::latestVersion(d == QLatin1String("postgres") ? SqlDialect::Postgres : SqlDialect::Sqlite);
            for (int v = 1; v < latest; ++v)
                QTest::newRow(qPrintable(QStringLiteral("%1 from %2").arg(d).arg(v))) << d << v;
        }
    }
    void migratesFromEveryEarlierVersion()
    {
        QFETCH(QString, dialect);
        QFETCH(int, from);
        TestDatabase fresh(dialect);
        TestDatabase old(dialect);
        QVERIFY2(fresh.isValid() && old.isValid(), qPrintable(fresh.error() + old.error()));
        SqlSession freshSession(fresh.parsed(), QStringLiteral("fresh"));
        Migrator::migrate(freshSession);

        SqlSession oldSession(old.parsed(), QStringLiteral("old"));
        QCOMPARE(Migrator::migrate(oldSession, from), from);
        QCOMPARE(Migrator::currentVersion(oldSession), from);
        // Data written at the old version survives the upgrade.
        const qint64 now = 1700000000000;
        oldSession.exec(QStringLiteral("INSERT INTO users (id, email, name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"),
                        {QStringLiteral("usr_old"), QStringLiteral("old@example.com"), QStringLiteral("Old"), QStringLiteral("active"), now, now});
        QCOMPARE(Migrator::migrate(oldSession), Migrator::latestVersion(oldSession.dialect()) - from);
        QCOMPARE(schemaSignature(oldSession), schemaSignature(freshSession));
        QSqlQuery &q = oldSession.exec(QStringLiteral("SELECT email FROM users WHERE id = 'usr_old'"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("old@example.com"));
    }

    void daemonsStartingTogetherMigrateOnce_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const QString &d : TestDatabase::dialects())
            QTest::newRow(qPrintable(d)) << d;
    }
    void daemonsStartingTogetherMigrateOnce()
    {
        QFETCH(QString, dialect);
        TestDatabase db(dialect);
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        const DatabaseUrl url = db.parsed();
        std::atomic<int> applied{0};
        std::atomic<int> failures{0};
        QList<QThread *> threads;
        for (int i = 0; i < 4; ++i) {
            threads.append(QThread::create([&applied, &failures, url, i] {
                try {
                    SqlSession s(url, QStringLiteral("racer-%1").arg(i));
                    applied += Migrator::migrate(s);
                } catch (const ServiceError &e) {
                    qWarning("racer failed: %s", qPrintable(e.message()));
                    ++failures;
                }
            }));
        }
        for (QThread *t : threads)
            t->start();
        for (QThread *t : threads) {
            t->wait();
            delete t;
        }
        QCOMPARE(failures.load(), 0);
        QCOMPARE(applied.load(), Migrator::latestVersion(url.dialect));
        SqlSession s(url, QStringLiteral("check"));
        QSqlQuery &q = s.exec(QStringLiteral("SELECT COUNT(*) FROM schema_version"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), Migrator::latestVersion(url.dialect));
    }

    void refusesASchemaNewerThanItKnows()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        SqlSession s(db.parsed(), QStringLiteral("newer"));
        Migrator::migrate(s);
        s.exec(QStringLiteral("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)"));
        QVERIFY_THROWS_EXCEPTION(ServiceError, Migrator::migrate(s));
    }
};

QTEST_GUILESS_MAIN(TestMigrator)
#include "tst_migrator.moc"
