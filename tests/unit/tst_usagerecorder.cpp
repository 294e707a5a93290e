// Usage rows through the coalescing recorder and the multi-row repository
// path: nothing lost, nothing twice, and the same values as one-row inserts.
#include "harness/testdatabase.h"
#include "relay/usagerecorder.h"
#include "store/migrator.h"
#include "store/multirowinsert.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "store/usagerepository.h"

#include <QSet>
#include <QSqlRecord>
#include <QTest>
#include <QThread>

#include <memory>
#include <thread>
#include <vector>

using namespace gw;
using gw::test::TestDatabase;

namespace {

QByteArray requestId(const char *tag, int i)
{
    return QByteArray("req_") + QByteArray(tag) + QByteArray::number(i).rightJustified(8, '0');
}

// A relayed call; `i` varies what is absent, how many attempts, and the bodies.
UsageRecord sampleRecord(const QByteArray &id, int i)
{
    UsageRecord r;
    r.requestId = id;
    r.createdAtMs = 1'760'000'000'000 + i;
    r.userId = QStringLiteral("usr_%1").arg(i % 7);
    r.keyId = QStringLiteral("key_%1").arg(i % 11);
    r.projectId = i % 4 == 0 ? QString() : QStringLiteral("prj_1");
    r.family = QStringLiteral("openai");
    r.endpoint = QStringLiteral("chat");
    r.model = QStringLiteral("gpt-test");
    r.upstreamModel = QStringLiteral("gpt-test-2024");
    r.channelId = QStringLiteral("ch_a");
    r.status = i % 9 == 0 ? 502 : 200;
    if (r.status != 200) {
        r.errorCode = QStringLiteral("upstream_error");
        r.errorMessage = QStringLiteral("the channel failed");
    }
    r.stream = i % 2 == 0;
    r.promptTokens = 100 + i;
    r.completionTokens = 20 + i;
    r.latencyMs = 50 + i % 13;
    if (i % 5 != 0)
        r.ttfbMs = 10 + i % 3;
    r.finishReason = QStringLiteral("stop");
    r.credits = 1000 + i;
    r.prices = QByteArrayLiteral("{\"input\":1}");
    r.clientIp = QStringLiteral("127.0.0.1");
    r.userAgent = QStringLiteral("test/1");
    const int attempts = 1 + i % 3;
    for (int a = 1; a <= attempts; ++a) {
        AttemptRecord at;
        at.attempt = a;
        at.startedAtMs = r.createdAtMs + a;
        at.channelId = QStringLiteral("ch_%1").arg(a);
        at.model = r.model;
        at.status = a == attempts ? r.status : 503;
        at.errorClass = a == attempts ? QStringLiteral("ok") : QStringLiteral("5xx");
        at.latencyMs = 5 * a;
        r.attempts.append(at);
    }
    r.storePayload = i % 2 == 1;
    if (r.storePayload) {
        r.requestBody = QByteArrayLiteral("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        r.responseBody = QByteArray("{\"n\":") + QByteArray::number(i) + "}";
    }
    return r;
}

// Every column of every row a table holds for `ids`, in order, the request
// id replaced by its position in `ids` so that two sets of rows compare.
QStringList rawRows(SqlSession &s, const QString &table, const QList<QByteArray> &ids)
{
    QStringList out;
    for (qsizetype n = 0; n < ids.size(); ++n) {
        QSqlQuery &q = s.exec(QStringLiteral("SELECT * FROM ") + table + QStringLiteral(" WHERE request_id = ? ORDER BY 1, 2"),
                              {QString::fromLatin1(ids[n])});
        while (q.next()) {
            QStringList cells;
            const QSqlRecord rec = q.record();
            for (int c = 0; c < rec.count(); ++c) {
                if (rec.fieldName(c) == QLatin1String("request_id"))
                    cells.append(QStringLiteral("#%1").arg(n));
                else if (q.value(c).isNull())
                    cells.append(QStringLiteral("NULL"));
                else
                    cells.append(QLatin1Char('\'') + q.value(c).toString() + QLatin1Char('\''));
            }
            out.append(table + QLatin1Char(' ') + cells.join(QLatin1Char('|')));
        }
        q.finish();
    }
    return out;
}

// What find() must give back for `r`: what insert() stores of it.
void compareStored(const UsageRecord &got, const UsageRecord &r)
{
    QCOMPARE(got.requestId, r.requestId);
    QCOMPARE(got.createdAtMs, r.createdAtMs);
    QCOMPARE(got.userId, r.userId);
    QCOMPARE(got.keyId, r.keyId);
    QCOMPARE(got.projectId, r.projectId);
    QCOMPARE(got.family, r.family);
    QCOMPARE(got.endpoint, r.endpoint);
    QCOMPARE(got.model, r.model);
    QCOMPARE(got.upstreamModel, r.upstreamModel);
    QCOMPARE(got.channelId, r.channelId);
    QCOMPARE(got.status, r.status);
    QCOMPARE(got.errorCode, r.errorCode);
    QCOMPARE(got.errorMessage, r.errorMessage.left(1000));
    QCOMPARE(got.stream, r.stream);
    QCOMPARE(got.promptTokens, r.promptTokens);
    QCOMPARE(got.completionTokens, r.completionTokens);
    QCOMPARE(got.cachedTokens, r.cachedTokens);
    QCOMPARE(got.cacheWriteTokens, r.cacheWriteTokens);
    QCOMPARE(got.reasoningTokens, r.reasoningTokens);
    QCOMPARE(got.estimated, r.estimated);
    QCOMPARE(got.latencyMs, r.latencyMs);
    QCOMPARE(got.ttfbMs, r.ttfbMs);
    QCOMPARE(got.finishReason, r.finishReason);
    QCOMPARE(got.cutReason, r.cutReason);
    QCOMPARE(got.deliveredBytes, r.deliveredBytes);
    QCOMPARE(got.deliveredChars, r.deliveredChars);
    QCOMPARE(got.credits, r.credits);
    QCOMPARE(got.upstreamCost, r.upstreamCost);
    QCOMPARE(got.prices, r.prices);
    QCOMPARE(got.upstreamRequestId, r.upstreamRequestId);
    QCOMPARE(got.clientIp, r.clientIp);
    QCOMPARE(got.userAgent, r.userAgent.left(300));
    QCOMPARE(got.attempts.size(), r.attempts.size());
    for (qsizetype a = 0; a < r.attempts.size(); ++a) {
        const AttemptRecord &x = got.attempts[a];
        const AttemptRecord &y = r.attempts[a];
        QCOMPARE(x.attempt, y.attempt);
        QCOMPARE(x.startedAtMs, y.startedAtMs);
        QCOMPARE(x.channelId, y.channelId);
        QCOMPARE(x.model, y.model);
        QCOMPARE(x.upstreamModel, y.upstreamModel);
        QCOMPARE(x.status, y.status);
        QCOMPARE(x.errorClass, y.errorClass);
        QCOMPARE(x.errorMessage, y.errorMessage.left(1000));
        QCOMPARE(x.latencyMs, y.latencyMs);
        QCOMPARE(x.ttfbMs, y.ttfbMs);
        QCOMPARE(x.upstreamRequestId, y.upstreamRequestId);
    }
    QCOMPARE(got.storePayload, r.storePayload);
    if (r.storePayload) {
        QCOMPARE(got.requestBody, r.requestBody);
        QCOMPARE(got.responseBody, r.responseBody);
        QCOMPARE(got.requestTruncated, r.requestTruncated);
        QCOMPARE(got.responseTruncated, r.responseTruncated);
    }
}

// Records that exercise every column: absent optionals, empty strings
// (stored as NULL), over-long messages (cut), several attempts, bodies with
// non-ASCII text, flags set and unset, and none at all.
std::vector<UsageRecord> variedRecords(const char *tag)
{
    std::vector<UsageRecord> out;
    UsageRecord full = sampleRecord(requestId(tag, 0), 2); // three attempts
    full.errorCode = QStringLiteral("bad_gateway");
    full.errorMessage = QStringLiteral("C:\\dir\\") + QString(1500, QLatin1Char('e'));
    full.userAgent = QString(400, QLatin1Char('u'));
    full.cachedTokens = 7;
    full.cacheWriteTokens = 8;
    full.reasoningTokens = 9;
    full.estimated = true;
    full.cutReason = QStringLiteral("client_gone");
    full.deliveredBytes = 1234;
    full.deliveredChars = 321;
    full.upstreamCost = 55;
    // What an array literal treats specially must come back as it went in.
    full.upstreamRequestId = QStringLiteral("NULL");
    full.finishReason = QStringLiteral("{a,b} \"c\" \\d\\ 'e'");
    full.clientIp = QStringLiteral("");
    full.attempts[0].errorMessage = QString(1200, QLatin1Char('a'));
    full.attempts[0].ttfbMs = 3;
    full.attempts[0].upstreamModel = QStringLiteral("gpt-test-2024");
    full.attempts[0].upstreamRequestId = QStringLiteral("up-0");
    full.storePayload = true;
    full.requestBody = QStringLiteral("{\"content\":\"Grüße, 世界 \\\"quoted\\\" 'single'\"}").toUtf8();
    full.responseBody = QStringLiteral("naïve ☃ text").toUtf8();
    full.requestTruncated = true;
    out.push_back(full);

    UsageRecord bare;
    bare.requestId = requestId(tag, 1);
    bare.createdAtMs = 1;
    bare.family = QStringLiteral("anthropic");
    bare.endpoint = QStringLiteral("chat");
    bare.status = 429;
    out.push_back(bare);

    UsageRecord emptyBodies = sampleRecord(requestId(tag, 2), 4);
    emptyBodies.storePayload = true;
    emptyBodies.requestBody.clear();
    emptyBodies.responseBody = QByteArray("");
    emptyBodies.responseTruncated = true;
    out.push_back(emptyBodies);

    for (int i = 3; i < 7; ++i)
        out.push_back(sampleRecord(requestId(tag, i), i));
    return out;
}

std::unique_ptr<TestDatabase> migratedDatabase(const QString &dialect)
{
    auto db = std::make_unique<TestDatabase>(dialect);
    if (!db->isValid())
        return db;
    SqlSession s(db->parsed(), QStringLiteral("migrate"));
    Migrator::migrate(s);
    return db;
}

qint64 count(Store &store, const QString &sql)
{
    auto o = store.readAndWait<qint64>([sql](SqlSession &s) {
        QSqlQuery &q = s.exec(sql);
        return q.next() ? q.value(0).toLongLong() : -1;
    });
    return o.ok() ? o.value() : -2;
}

void execOnWriter(Store &store, const QString &sql)
{
    auto o = store.writeAndWait<int>([sql](SqlSession &s) {
        s.execRaw(sql);
        return 0;
    });
    QVERIFY2(o.ok(), o.ok() ? "" : qPrintable(o.error().message()));
}

} // namespace

class TestUsageRecorder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const QString &d : TestDatabase::dialects())
            QTest::newRow(qPrintable(d)) << d;
    }

    void statementsComeInPowersOfTwo()
    {
        const MultiRowInsert insert(QStringLiteral("t"), QStringLiteral("a, b"), 100);
        QCOMPARE(insert.columnCount(), 2);
        QCOMPARE(insert.maxRows(), 64);
        QCOMPARE(insert.valuesSql(1), QStringLiteral("INSERT INTO t (a, b) VALUES (?, ?)"));
        QCOMPARE(insert.valuesSql(2), QStringLiteral("INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"));
        QList<int> pieces;
        int covered = 0;
        insert.split(231, [&](int offset, int rows) {
            QCOMPARE(offset, covered);
            covered += rows;
            pieces.append(rows);
        });
        QCOMPARE(pieces, (QList<int>{64, 64, 64, 32, 4, 2, 1}));
        QCOMPARE(insert.valuesSql(64).count(QLatin1Char('?')), 128);
    }

    void theBatchWritesWhatSingleInsertsWrite()
    {
        QFETCH_GLOBAL(QString, dialect);
        auto db = migratedDatabase(dialect);
        QVERIFY2(db->isValid(), qPrintable(db->error()));
        SqlSession s(db->parsed(), QStringLiteral("roundtrip"));
        std::vector<UsageRecord> batch = variedRecords("b");
        const std::vector<UsageRecord> singles = variedRecords("s");
        const std::vector<UsageRecord> expected = batch;
        std::vector<UsageRepository::Rejection> rejected;
        s.begin();
        UsageRepository::insertMany(s, batch, &rejected);
        for (const UsageRecord &r : singles)
            UsageRepository::insert(s, r);
        s.finishAll();
        s.commit();
        QVERIFY(rejected.empty());
        QCOMPARE(batch.size(), expected.size());

        QList<QByteArray> batchIds, singleIds;
        for (size_t i = 0; i < expected.size(); ++i) {
            batchIds.append(expected[i].requestId);
            singleIds.append(singles[i].requestId);
        }
        for (const QString &table : {QStringLiteral("usage_records"), QStringLiteral("usage_attempts"),
                                     QStringLiteral("usage_payloads")}) {
            const QStringList fromBatch = rawRows(s, table, batchIds);
            QVERIFY(!fromBatch.isEmpty());
            QCOMPARE(fromBatch, rawRows(s, table, singleIds));
        }
        // NULL where the record has nothing, never '': what list filters and
        // the admin views rely on.
        QSqlQuery &nulls = s.exec(QStringLiteral("SELECT COUNT(*) FROM usage_records WHERE request_id = ? AND user_id IS NULL "
                                                 "AND key_id IS NULL AND project_id IS NULL AND model IS NULL "
                                                 "AND upstream_model IS NULL AND channel_id IS NULL AND error_code IS NULL "
                                                 "AND error_message IS NULL AND ttfb_ms IS NULL AND finish_reason IS NULL "
                                                 "AND cut_reason IS NULL AND upstream_request_id IS NULL AND client_ip IS NULL "
                                                 "AND user_agent IS NULL AND prices IS NULL AND family = 'anthropic'"),
                                  {QString::fromLatin1(expected[1].requestId)});
        QVERIFY(nulls.next());
        QCOMPARE(nulls.value(0).toInt(), 1);
        nulls.finish();
        QSqlQuery &attemptNulls = s.exec(QStringLiteral("SELECT COUNT(*) FROM usage_attempts WHERE request_id = ? "
                                                        "AND upstream_model IS NULL AND error_message IS NULL "
                                                        "AND ttfb_ms IS NULL AND upstream_request_id IS NULL AND model = 'gpt-test'"),
                                         {QString::fromLatin1(expected[2].requestId)});
        QVERIFY(attemptNulls.next());
        QCOMPARE(attemptNulls.value(0).toInt(), 2);
        attemptNulls.finish();

        for (const UsageRecord &r : expected) {
            const auto got = UsageRepository::find(s, QString::fromLatin1(r.requestId));
            QVERIFY(got);
            compareStored(*got, r);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void aRefusedRecordCostsOnlyItself()
    {
        QFETCH_GLOBAL(QString, dialect);
        auto db = migratedDatabase(dialect);
        QVERIFY2(db->isValid(), qPrintable(db->error()));
        SqlSession s(db->parsed(), QStringLiteral("refused"));
        UsageRecord stored = sampleRecord(requestId("x", 1), 1);
        stored.model = QStringLiteral("the-original");
        s.begin();
        UsageRepository::insert(s, stored);
        s.commit();

        // 300 records in three chunks: one in the first repeats a stored
        // id, two in the second repeat each other.
        std::vector<UsageRecord> records;
        for (int i = 0; i < 300; ++i)
            records.push_back(sampleRecord(requestId("r", i), i));
        records[70] = sampleRecord(stored.requestId, 70);
        records[250] = sampleRecord(records[200].requestId, 250);
        std::vector<UsageRepository::Rejection> rejected;
        s.begin();
        UsageRepository::insertMany(s, records, &rejected);
        s.finishAll();
        s.commit();

        QCOMPARE(rejected.size(), size_t(2));
        QCOMPARE(rejected[0].requestId, stored.requestId);
        QCOMPARE(rejected[0].error.kind(), StoreError::Kind::Conflict);
        QCOMPARE(rejected[1].requestId, requestId("r", 200));
        QCOMPARE(records.size(), size_t(298));
        QSqlQuery &n = s.exec(QStringLiteral("SELECT COUNT(*) FROM usage_records"));
        QVERIFY(n.next());
        QCOMPARE(n.value(0).toInt(), 299);
        n.finish();
        QCOMPARE(UsageRepository::find(s, QString::fromLatin1(stored.requestId))->model, QStringLiteral("the-original"));
        // The first of two records with one id wins, with its own attempts.
        const auto first = UsageRepository::find(s, QString::fromLatin1(requestId("r", 200)));
        QVERIFY(first);
        QCOMPARE(first->credits, sampleRecord({}, 200).credits);
        QCOMPARE(first->attempts.size(), sampleRecord({}, 200).attempts.size());
    }

    void concurrentRecordsLandExactlyOnce()
    {
        QFETCH_GLOBAL(QString, dialect);
        auto db = migratedDatabase(dialect);
        QVERIFY2(db->isValid(), qPrintable(db->error()));
        Store store(db->parsed(), 1);
        UsageRecorder recorder(store, PayloadPolicy());
        const quint64 jobsBefore = store.writesDone();
        constexpr int kThreads = 4;
        constexpr int kEach = 2000;
        constexpr int kTotal = kThreads * kEach;
        std::vector<std::thread> workers;
        for (int t = 0; t < kThreads; ++t) {
            workers.emplace_back([&recorder, t] {
                for (int i = t * kEach; i < (t + 1) * kEach; ++i)
                    recorder.record(sampleRecord(requestId("c", i), i));
            });
        }
        for (std::thread &w : workers)
            w.join();
        QCOMPARE(recorder.recorded(), quint64(kTotal));
        QTRY_COMPARE_WITH_TIMEOUT(recorder.written(), quint64(kTotal), 120000);
        QCOMPARE(recorder.pending(), size_t(0));
        QCOMPARE(recorder.rejected(), quint64(0));
        QCOMPARE(recorder.dropped(), quint64(0));

        qint64 attempts = 0;
        qint64 payloads = 0;
        QSet<QString> expected;
        for (int i = 0; i < kTotal; ++i) {
            const UsageRecord r = sampleRecord(requestId("c", i), i);
            attempts += r.attempts.size();
            payloads += r.storePayload ? 1 : 0;
            expected.insert(QString::fromLatin1(r.requestId));
        }
        auto ids = store.readAndWait<QSet<QString>>([](SqlSession &s) {
            QSet<QString> out;
            QSqlQuery &q = s.exec(QStringLiteral("SELECT request_id FROM usage_records"));
            while (q.next())
                out.insert(q.value(0).toString());
            return out;
        });
        QVERIFY(ids.ok());
        QCOMPARE(ids.value().size(), kTotal);
        QVERIFY(ids.value() == expected);
        QCOMPARE(count(store, QStringLiteral("SELECT COUNT(*) FROM usage_records")), qint64(kTotal));
        QCOMPARE(count(store, QStringLiteral("SELECT COUNT(*) FROM usage_attempts")), attempts);
        QCOMPARE(count(store, QStringLiteral("SELECT COUNT(*) FROM usage_payloads")), payloads);
        // Coalesced: far fewer writer jobs than records.
        const quint64 jobs = store.writesDone() - jobsBefore;
        QVERIFY2(recorder.flushes() * 8 < quint64(kTotal),
                 qPrintable(QStringLiteral("%1 flushes for %2 records").arg(recorder.flushes()).arg(kTotal)));
        QVERIFY2(jobs < quint64(kTotal) / 4, qPrintable(QStringLiteral("%1 writer jobs").arg(jobs)));
    }

    void aDuplicateInABurstLosesOnlyItself()
    {
        QFETCH_GLOBAL(QString, dialect);
        auto db = migratedDatabase(dialect);
        QVERIFY2(db->isValid(), qPrintable(db->error()));
        Store store(db->parsed(), 1);
        UsageRecorder recorder(store, PayloadPolicy());
        UsageRecord stored = sampleRecord(requestId("d", 100), 1);
        stored.model = QStringLiteral("the-original");
        auto w = store.writeAndWait<int>([stored](SqlSession &s) {
            UsageRepository::insert(s, stored);
            return 0;
        });
        QVERIFY(w.ok());

        std::vector<UsageRecord> burst;
        for (int i = 0; i < 300; ++i)
            burst.push_back(sampleRecord(requestId("d", i), i));
        burst[100].model = QStringLiteral("the-duplicate");
        burst[201] = sampleRecord(requestId("d", 200), 201);
        // Hold the writer so that the whole burst waits for one flush.
        QObject context;
        store.write<int>(&context, [](SqlSession &) {
            QThread::msleep(500);
            return 0;
        }, [](Outcome<int>) {});
        QThread::msleep(50);
        for (UsageRecord &r : burst)
            recorder.record(std::move(r));

        QTRY_COMPARE_WITH_TIMEOUT(recorder.written() + recorder.rejected(), quint64(300), 30000);
        QCOMPARE(recorder.rejected(), quint64(2));
        QCOMPARE(recorder.written(), quint64(298));
        QCOMPARE(recorder.flushes(), quint64(1));
        QCOMPARE(recorder.pending(), size_t(0));
        QCOMPARE(count(store, QStringLiteral("SELECT COUNT(*) FROM usage_records")), qint64(299));
        auto models = store.readAndWait<QStringList>([](SqlSession &s) {
            QSqlQuery &q = s.exec(QStringLiteral("SELECT model, credits FROM usage_records WHERE request_id IN (?, ?) "
                                                 "ORDER BY request_id"),
                                  {QString::fromLatin1(requestId("d", 100)), QString::fromLatin1(requestId("d", 200))});
            QStringList out;
            while (q.next())
                out << q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString();
            return out;
        });
        QVERIFY(models.ok());
        QCOMPARE(models.value(), (QStringList{QStringLiteral("the-original 1001"), QStringLiteral("gpt-test 1200")}));
    }

    void recordsThroughTheRecorderRoundTrip()
    {
        QFETCH_GLOBAL(QString, dialect);
        auto db = migratedDatabase(dialect);
        QVERIFY2(db->isValid(), qPrintable(db->error()));
        Store store(db->parsed(), 1);
        UsageRecorder recorder(store, PayloadPolicy());
        const std::vector<UsageRecord> records = variedRecords("t");
        for (const UsageRecord &r : records)
            recorder.record(r);
        QTRY_COMPARE_WITH_TIMEOUT(recorder.written(), quint64(records.size()), 30000);
        for (const UsageRecord &r : records) {
            auto found = store.readAndWait<std::optional<UsageRecord>>(
                [id = QString::fromLatin1(r.requestId)](SqlSession &s) { return UsageRepository::find(s, id); });
            QVERIFY(found.ok());
            QVERIFY(found.value().has_value());
            compareStored(*found.value(), r);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void aFailedFlushIsRetriedWithNothingLostOrTwice()
    {
        QFETCH_GLOBAL(QString, dialect);
        auto db = migratedDatabase(dialect);
        QVERIFY2(db->isValid(), qPrintable(db->error()));
        Store store(db->parsed(), 1);
        UsageWritePolicy writes;
        writes.retryMinMs = 20;
        writes.retryMaxMs = 100;
        UsageRecorder recorder(store, PayloadPolicy(), writes);
        // Every chunk fails and no record escapes: the database's fault, so
        // the batch is kept and retried rather than its records rejected.
        execOnWriter(store, QStringLiteral("ALTER TABLE usage_attempts RENAME TO usage_attempts_away"));
        for (int i = 0; i < 50; ++i)
            recorder.record(sampleRecord(requestId("f", i), i));
        QTRY_VERIFY_WITH_TIMEOUT(recorder.flushFailures() >= 2, 10000);
        QCOMPARE(recorder.written(), quint64(0));
        QCOMPARE(recorder.rejected(), quint64(0));
        QCOMPARE(recorder.pending(), size_t(50));
        execOnWriter(store, QStringLiteral("ALTER TABLE usage_attempts_away RENAME TO usage_attempts"));
        QTRY_COMPARE_WITH_TIMEOUT(recorder.written(), quint64(50), 10000);
        QCOMPARE(recorder.pending(), size_t(0));
        QCOMPARE(recorder.rejected(), quint64(0));
        QCOMPARE(count(store, QStringLiteral("SELECT COUNT(*) FROM usage_records")), qint64(50));
        QCOMPARE(count(store, QStringLiteral("SELECT COUNT(DISTINCT request_id) FROM usage_attempts")), qint64(50));
    }

    void aFullBacklogDropsTheOldest()
    {
        QFETCH_GLOBAL(QString, dialect);
        auto db = migratedDatabase(dialect);
        QVERIFY2(db->isValid(), qPrintable(db->error()));
        Store store(db->parsed(), 1);
        UsageWritePolicy writes;
        writes.maxPending = 10;
        writes.retryMinMs = 20;
        writes.retryMaxMs = 100;
        UsageRecorder recorder(store, PayloadPolicy(), writes);
        execOnWriter(store, QStringLiteral("ALTER TABLE usage_records RENAME TO usage_records_away"));
        for (int i = 0; i < 30; ++i)
            recorder.record(sampleRecord(requestId("o", i), i));
        QTRY_VERIFY_WITH_TIMEOUT(recorder.dropped() == 20 && recorder.pending() == 10 && recorder.flushFailures() > 0, 10000);
        execOnWriter(store, QStringLiteral("ALTER TABLE usage_records_away RENAME TO usage_records"));
        QTRY_COMPARE_WITH_TIMEOUT(recorder.written(), quint64(10), 10000);
        QCOMPARE(recorder.recorded(), quint64(30));
        QCOMPARE(recorder.dropped(), quint64(20));
        auto ids = store.readAndWait<QStringList>([](SqlSession &s) {
            QStringList out;
            QSqlQuery &q = s.exec(QStringLiteral("SELECT request_id FROM usage_records ORDER BY request_id"));
            while (q.next())
                out.append(q.value(0).toString());
            return out;
        });
        QVERIFY(ids.ok());
        QStringList newest;
        for (int i = 20; i < 30; ++i)
            newest.append(QString::fromLatin1(requestId("o", i)));
        QCOMPARE(ids.value(), newest);
    }
};

QTEST_GUILESS_MAIN(TestUsageRecorder)
#include "tst_usagerecorder.moc"
