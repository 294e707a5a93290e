#include "harness/testdatabase.h"
#include "store/migrator.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "store/storejobqueue.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <thread>

using namespace gw;
using gw::test::TestDatabase;

class TestStore : public QObject
{
    Q_OBJECT

    static void createScratchTable(Store &store)
    {
        auto o = store.writeAndWait<int>([](SqlSession &s) {
            s.execRaw(QStringLiteral("CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT NOT NULL)"));
            return 0;
        });
        QVERIFY2(o.ok(), o.ok() ? "" : qPrintable(o.error().message()));
    }

    static int countRows(Store &store)
    {
        auto o = store.readAndWait<int>([](SqlSession &s) {
            QSqlQuery &q = s.exec(QStringLiteral("SELECT COUNT(*) FROM scratch"));
            return q.next() ? q.value(0).toInt() : -1;
        });
        return o.ok() ? o.value() : -1;
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const QString &d : TestDatabase::dialects())
            QTest::newRow(qPrintable(d)) << d;
    }

    void groupsConcurrentWritesIntoFewCommits()
    {
        QFETCH_GLOBAL(QString, dialect);
        TestDatabase db(dialect);
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        Store store(db.parsed(), 1);
        createScratchTable(store);
        const quint64 batchesBefore = store.writeBatches();
        QObject context;
        std::atomic<int> done{0};
        const int jobs = 400;
        for (int i = 0; i < jobs; ++i) {
            store.write<int>(&context, [i](SqlSession &s) {
                s.exec(QStringLiteral("INSERT INTO scratch (id, note) VALUES (?, ?)"), {i, QStringLiteral("n")});
                return i;
            }, [&done](Outcome<int> o) {
                if (o.ok())
                    ++done;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(done.load(), jobs, 20000);
        QCOMPARE(countRows(store), jobs);
        const quint64 batches = store.writeBatches() - batchesBefore;
        QVERIFY2(batches < quint64(jobs / 4), qPrintable(QStringLiteral("%1 commits for %2 writes").arg(batches).arg(jobs)));
    }

    void oneFailingWriteDoesNotUndoItsBatch()
    {
        QFETCH_GLOBAL(QString, dialect);
        TestDatabase db(dialect);
        Store store(db.parsed(), 1);
        createScratchTable(store);
        QObject context;
        // Hold the writer so that the next three jobs land in one batch.
        store.write<int>(&context, [](SqlSession &) {
            QThread::msleep(300);
            return 0;
        }, [](Outcome<int>) {});
        QThread::msleep(50);
        QList<bool> results(3, false);
        QList<QString> errors(3);
        std::atomic<int> finished{0};
        for (int i = 0; i < 3; ++i) {
            store.write<int>(&context, [i](SqlSession &s) {
                // The second job breaks the primary key on purpose.
                s.exec(QStringLiteral("INSERT INTO scratch (id, note) VALUES (?, ?)"), {i == 1 ? 0 : i, QStringLiteral("x")});
                return i;
            }, [&, i](Outcome<int> o) {
                results[i] = o.ok();
                if (!o.ok())
                    errors[i] = o.error().message();
                ++finished;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished.load(), 3, 10000);
        QVERIFY(results[0]);
        QVERIFY(!results[1]);
        QVERIFY(results[2]);
        QCOMPARE(countRows(store), 2);
    }

    void completionsRunOnTheCallersThread()
    {
        QFETCH_GLOBAL(QString, dialect);
        TestDatabase db(dialect);
        Store store(db.parsed(), 2);
        QThread other;
        other.start();
        QObject context;
        context.moveToThread(&other);
        std::atomic<QThread *> ranOn{nullptr};
        store.read<int>(&context, [](SqlSession &s) {
            QSqlQuery &q = s.exec(QStringLiteral("SELECT 41 + 1"));
            return q.next() ? q.value(0).toInt() : 0;
        }, [&ranOn](Outcome<int> o) {
            if (o.ok() && o.value() == 42)
                ranOn = QThread::currentThread();
        });
        QTRY_VERIFY_WITH_TIMEOUT(ranOn.load() != nullptr, 5000);
        QCOMPARE(ranOn.load(), &other);
        other.quit();
        other.wait();
    }

    void errorsComeBackAsValues()
    {
        QFETCH_GLOBAL(QString, dialect);
        TestDatabase db(dialect);
        Store store(db.parsed(), 1);
        auto o = store.readAndWait<int>([](SqlSession &s) {
            s.exec(QStringLiteral("SELECT * FROM no_such_table"));
            return 0;
        });
        QVERIFY(!o.ok());
        QVERIFY(o.error().message().contains(QStringLiteral("no_such_table")));
        auto thrown = store.writeAndWait<int>([](SqlSession &) -> int {
            throw ServiceError(QStringLiteral("domain says no"), ServiceError::Kind::Conflict);
        });
        QVERIFY(!thrown.ok());
        QCOMPARE(thrown.error().kind(), ServiceError::Kind::Conflict);
    }

    void closeCommitsWhatIsQueued()
    {
        QFETCH_GLOBAL(QString, dialect);
        TestDatabase db(dialect);
        {
            Store store(db.parsed(), 1);
            createScratchTable(store);
            for (int i = 0; i < 100; ++i) {
                store.writeDetached([i](SqlSession &s) {
                    s.exec(QStringLiteral("INSERT INTO scratch (id, note) VALUES (?, ?)"), {i, QStringLiteral("d")});
                });
            }
            store.close();
        }
        Store reopened(db.parsed(), 1);
        QCOMPARE(countRows(reopened), 100);
    }

    void aWriteIsVisibleToTheNextRead()
    {
        QFETCH_GLOBAL(QString, dialect);
        TestDatabase db(dialect);
        Store store(db.parsed(), 2);
        createScratchTable(store);
        for (int i = 0; i < 20; ++i) {
            auto w = store.writeAndWait<int>([i](SqlSession &s) {
                s.exec(QStringLiteral("INSERT INTO scratch (id, note) VALUES (?, ?)"), {i, QStringLiteral("v")});
                return i;
            });
            QVERIFY(w.ok());
            QCOMPARE(countRows(store), i + 1);
        }
    }

    // Background jobs wait for the writer's next slot; a job someone waits
    // for is taken at once, with the background ones queued before it; a
    // closing queue hands everything out without waiting.
    void backgroundJobsWaitUnlessSomeoneWaits()
    {
        QFETCH_GLOBAL(QString, dialect);
        if (dialect != QLatin1String("sqlite"))
            return; // no database involved: once is enough
        using namespace std::chrono;
        const auto background = [] {
            StoreJob j;
            j.background = true;
            return j;
        };
        StoreJobQueue queue;
        queue.push(background());
        auto start = steady_clock::now();
        auto jobs = queue.take(16, start + milliseconds(300));
        QCOMPARE(jobs.size(), size_t(1));
        QVERIFY(steady_clock::now() - start >= milliseconds(250));

        queue.push(background());
        start = steady_clock::now();
        std::thread urgent([&queue] {
            std::this_thread::sleep_for(milliseconds(50));
            queue.push(StoreJob{});
        });
        jobs = queue.take(16, start + seconds(30));
        urgent.join();
        QCOMPARE(jobs.size(), size_t(2));
        QVERIFY(jobs.at(0).background && !jobs.at(1).background);
        QVERIFY(steady_clock::now() - start < seconds(10));

        queue.push(background());
        queue.close();
        start = steady_clock::now();
        QCOMPARE(queue.take(16, start + seconds(30)).size(), size_t(1));
        QVERIFY(steady_clock::now() - start < seconds(10));
        QVERIFY(queue.take(16, start + seconds(30)).empty());
    }

    // run() binds every value type the repositories use exactly as exec()
    // does, answers the rows changed and words a duplicate key as Conflict.
    void runBindsAsExecDoesAndCountsRows()
    {
        QFETCH_GLOBAL(QString, dialect);
        TestDatabase db(dialect);
        QVERIFY2(db.isValid(), qPrintable(db.error()));
        Store store(db.parsed(), 1);
        auto w = store.writeAndWait<QStringList>([](SqlSession &s) {
            s.execRaw(QStringLiteral("CREATE TABLE typed (id INTEGER PRIMARY KEY, t TEXT, n BIGINT, d DOUBLE PRECISION, b SMALLINT)"));
            const QString insert = QStringLiteral("INSERT INTO typed (id, t, n, d, b) VALUES (?, ?, ?, ?, ?)");
            QStringList seen;
            seen << QString::number(s.run(insert, {1, QStringLiteral("h\u00e9llo \u2603"), qint64(1) << 40, 2.5, 1}));
            seen << QString::number(s.run(insert, {2, QString(), QVariant(QMetaType(QMetaType::LongLong)), 0.0, 0}));
            seen << QString::number(s.run(insert, {3, QVariant(QMetaType(QMetaType::QString)), -7, -1.25, 0}));
            // UTF-8 bytes are text; invalid sequences become U+FFFD as QString::fromUtf8 makes them.
            seen << QString::number(s.run(insert, {4, QByteArray("caf\xc3\xa9"), 4, 0.5, 0}));
            seen << QString::number(s.run(insert, {5, QByteArray("a\xff"), 5, 0.5, 0}));
            seen << QString::number(s.run(insert, {6, QByteArray(), 6, 0.5, 0}));
            // ASCII first, then a surrogate pair: the UTF-8 copy starts over.
            seen << QString::number(s.run(insert, {7, QStringLiteral("ab\U0001F600c"), 7, 0.5, 0}));
            s.execRaw(QStringLiteral("SAVEPOINT dup"));
            try {
                s.run(insert, {1, QStringLiteral("again"), 0, 0.0, 0});
                seen << QStringLiteral("no conflict");
            } catch (const StoreError &e) {
                seen << (e.kind() == StoreError::Kind::Conflict ? QStringLiteral("conflict") : e.message());
            }
            s.execRaw(QStringLiteral("ROLLBACK TO SAVEPOINT dup"));
            seen << QString::number(s.run(QStringLiteral("UPDATE typed SET n = n + 1 WHERE id >= ?"), {2}));
            seen << QString::number(s.run(QStringLiteral("DELETE FROM typed WHERE id = ?"), {99}));
            QSqlQuery &q = s.exec(QStringLiteral("SELECT id, t, t IS NULL, COALESCE(n, 0), n IS NULL, d, b FROM typed ORDER BY id"));
            while (q.next()) {
                QStringList row;
                for (int c = 0; c < 7; ++c)
                    row << q.value(c).toString();
                seen << row.join(QLatin1Char('|'));
            }
            q.finish();
            return seen;
        });
        QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message()));
        const QStringList expected{QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("1"),
                                   QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("conflict"),
                                   QStringLiteral("6"), QStringLiteral("0"),
                                   QStringLiteral("1|h\u00e9llo \u2603|%1|1099511627776|%2|2.5|1"),
                                   QStringLiteral("2||%1|0|%3|0|0"), QStringLiteral("3||%3|-6|%1|-1.25|0"),
                                   QStringLiteral("4|caf\u00e9|%1|5|%1|0.5|0"), QStringLiteral("5|a\ufffd|%1|6|%1|0.5|0"),
                                   QStringLiteral("6||%1|7|%1|0.5|0"), QStringLiteral("7|ab\U0001F600c|%1|8|%1|0.5|0")};
        const bool pg = dialect == QLatin1String("postgres");
        // PostgreSQL answers booleans as true/false, SQLite as 1/0.
        const QString no = pg ? QStringLiteral("false") : QStringLiteral("0");
        const QString yes = pg ? QStringLiteral("true") : QStringLiteral("1");
        QStringList want;
        for (const QString &e : expected)
            want << QString(e).replace(QLatin1String("%1"), no).replace(QLatin1String("%3"), yes).replace(QLatin1String("%2"), no);
        QCOMPARE(w.value(), want);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
