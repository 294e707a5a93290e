// How many usage rows per second the store's single writer persists.
//
//   bench-writer-throughput [--count N] [--threads T] [--rate R] [--legacy] [DATABASE]
//
// DATABASE is "sqlite" (the default: a file in a temporary directory),
// "postgres" (the server GATEWAY_TEST_POSTGRES names) or a postgres:// URL.
// On PostgreSQL a scratch database is created on that server and dropped at
// the end. --legacy writes one writer job per record (the path before usage
// rows were coalesced) so that the two can be compared on the same machine.
// --rate paces the producers at R records a second in all (instead of as
// fast as they can), and peak_pending then shows whether the writer keeps up.
#include "observability/requestid.h"
#include "relay/usagerecorder.h"
#include "store/migrator.h"
#include "store/sqliteprocesssettings.h"
#include "store/sqlsession.h"
#include "store/store.h"
#include "store/usagerepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using namespace gw;

namespace {

// A chat call as the relay records it: one attempt, small bodies.
UsageRecord sampleRecord(int i)
{
    UsageRecord r;
    r.requestId = RequestId::next();
    r.createdAtMs = 1'760'000'000'000 + i;
    r.userId = QStringLiteral("usr_0000000a0001bench001");
    r.keyId = QStringLiteral("key_0000000a0001bench001");
    r.family = QStringLiteral("openai");
    r.endpoint = QStringLiteral("chat");
    r.model = QStringLiteral("gpt-4o-mini");
    r.upstreamModel = QStringLiteral("gpt-4o-mini-2024-07-18");
    r.channelId = QStringLiteral("ch_0000000a0001bench001");
    r.status = 200;
    r.promptTokens = 120 + i % 50;
    r.completionTokens = 40 + i % 30;
    r.latencyMs = 180 + i % 70;
    r.ttfbMs = 90 + i % 20;
    r.finishReason = QStringLiteral("stop");
    r.deliveredBytes = 612;
    r.deliveredChars = 180;
    r.credits = 4200 + i % 100;
    r.upstreamCost = 3100;
    r.prices = QByteArrayLiteral("{\"input\":150000,\"output\":600000,\"cache_read\":75000}");
    r.upstreamRequestId = QStringLiteral("chatcmpl-bench%1").arg(i);
    r.clientIp = QStringLiteral("127.0.0.1");
    r.userAgent = QStringLiteral("OpenAI/Python 1.51.0");
    AttemptRecord a;
    a.attempt = 1;
    a.startedAtMs = r.createdAtMs;
    a.channelId = r.channelId;
    a.model = r.model;
    a.upstreamModel = r.upstreamModel;
    a.status = 200;
    a.errorClass = QStringLiteral("ok");
    a.latencyMs = r.latencyMs;
    a.ttfbMs = r.ttfbMs;
    a.upstreamRequestId = r.upstreamRequestId;
    r.attempts.append(a);
    r.storePayload = true;
    r.requestBody = QByteArrayLiteral("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a "
                                      "helpful assistant.\"},{\"role\":\"user\",\"content\":\"Summarise the last "
                                      "meeting in three bullet points, please.\"}],\"max_tokens\":200}");
    r.responseBody = QByteArrayLiteral("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
                                       "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"- The "
                                       "budget was approved.\\n- The launch moves to May.\\n- Hiring continues.\"},"
                                       "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":120,"
                                       "\"completion_tokens\":40,\"total_tokens\":160}}");
    return r;
}

// A fresh database: a file in `dir`, or a new database on the given server.
struct BenchDatabase
{
    DatabaseUrl url;
    std::optional<DatabaseUrl> server;
    QString name;

    ~BenchDatabase()
    {
        if (!server)
            return;
        try {
            SqlSession admin(*server, QStringLiteral("bench-admin-drop"));
            admin.execRaw(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
        } catch (const StoreError &e) {
            std::fprintf(stderr, "could not drop %s: %s\n", qPrintable(name), qPrintable(e.message()));
        }
    }
};

std::unique_ptr<BenchDatabase> openDatabase(const QString &which, const QTemporaryDir &dir, QString *error)
{
    auto db = std::make_unique<BenchDatabase>();
    if (which.isEmpty() || which == QLatin1String("sqlite")) {
        db->url.dialect = SqlDialect::Sqlite;
        db->url.path = dir.filePath(QStringLiteral("bench.db"));
        return db;
    }
    const QString text = which == QLatin1String("postgres") ? qEnvironmentVariable("GATEWAY_TEST_POSTGRES") : which;
    auto server = DatabaseUrl::parse(text, error);
    if (!server)
        return nullptr;
    db->name = QStringLiteral("gwbench_") + QUuid::createUuid().toString(QUuid::Id128).left(12);
    try {
        SqlSession admin(*server, QStringLiteral("bench-admin"));
        admin.execRaw(QStringLiteral("CREATE DATABASE %1").arg(db->name));
    } catch (const StoreError &e) {
        *error = e.message();
        return nullptr;
    }
    db->server = server;
    db->url = *server;
    db->url.database = db->name;
    return db;
}

// Runs `produce(i)` for i in [0, count) spread over `threads` threads, the
// way HTTP workers record their calls; `rate` > 0 paces them to that many a
// second in all.
template <typename F>
void produceConcurrently(int count, int threads, int rate, F produce)
{
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([=] {
            for (int i = t; i < count; i += threads) {
                if (rate > 0)
                    std::this_thread::sleep_until(start + std::chrono::microseconds(qint64(i) * 1'000'000 / rate));
                produce(i);
            }
        });
    }
    for (std::thread &th : pool)
        th.join();
}

qint64 countRows(Store &store, const char *table)
{
    auto o = store.readAndWait<qint64>([table](SqlSession &s) {
        QSqlQuery &q = s.exec(QStringLiteral("SELECT COUNT(*) FROM ") + QLatin1String(table));
        return q.next() ? q.value(0).toLongLong() : -1;
    });
    return o.ok() ? o.value() : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    gw::SqliteProcessSettings::apply(); // as gatewayd does
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("count"), QStringLiteral("records to write (default 100000)"), QStringLiteral("N"),
                      QStringLiteral("100000")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("producer threads (default 2)"), QStringLiteral("T"),
                      QStringLiteral("2")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("records a second in all (default 0: as fast as possible)"),
                      QStringLiteral("R"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("legacy"), QStringLiteral("one writer job per record (the old path)")});
    parser.addPositionalArgument(QStringLiteral("database"), QStringLiteral("sqlite (default), postgres or a postgres:// URL"));
    parser.process(app);
    const int count = qMax(1, parser.value(QStringLiteral("count")).toInt());
    const int threads = qMax(1, parser.value(QStringLiteral("threads")).toInt());
    const int rate = qMax(0, parser.value(QStringLiteral("rate")).toInt());
    const bool legacy = parser.isSet(QStringLiteral("legacy"));

    QTemporaryDir dir;
    QString error;
    auto db = openDatabase(parser.positionalArguments().value(0), dir, &error);
    if (!db) {
        std::fprintf(stderr, "database: %s\n", qPrintable(error));
        return 2;
    }
    try {
        SqlSession session(db->url, QStringLiteral("bench-migrate"));
        Migrator::migrate(session);
    } catch (const StoreError &e) {
        std::fprintf(stderr, "migrate: %s\n", qPrintable(e.message()));
        return 2;
    }

    // Built before the clock starts: the bench measures the writer, not the relay.
    std::vector<UsageRecord> records;
    records.reserve(size_t(count));
    for (int i = 0; i < count; ++i)
        records.push_back(sampleRecord(i));

    Store store(db->url, 1);
    const quint64 batchesBefore = store.writeBatches();
    const quint64 jobsBefore = store.writesDone();
    QElapsedTimer clock;
    clock.start();
    qint64 producedMs = 0;
    quint64 flushes = 0;
    quint64 peakPending = 0; // records (legacy: jobs) waiting, sampled every millisecond
    if (legacy) {
        std::thread producers([&] {
            produceConcurrently(count, threads, rate, [&](int i) {
                store.writeDetached([r = std::move(records[size_t(i)])](SqlSession &s) { UsageRepository::insert(s, r); });
            });
            producedMs = clock.elapsed();
        });
        while (store.writesDone() - jobsBefore < quint64(count)) {
            peakPending = qMax<quint64>(peakPending, store.writeBacklog());
            QThread::msleep(1);
        }
        producers.join();
    } else {
        // Completions of the recorder's flushes arrive on this thread's event
        // loop, which runs while the producers record.
        UsageRecorder recorder(store, PayloadPolicy());
        std::thread producers([&] {
            produceConcurrently(count, threads, rate, [&](int i) { recorder.record(std::move(records[size_t(i)])); });
            producedMs = clock.elapsed();
        });
        QEventLoop loop;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            peakPending = qMax<quint64>(peakPending, recorder.pending());
            if (recorder.written() + recorder.rejected() + recorder.dropped() >= quint64(count))
                loop.quit();
        });
        poll.start(1);
        loop.exec();
        producers.join();
        flushes = recorder.flushes();
    }
    const qint64 elapsedMs = qMax<qint64>(1, clock.elapsed());
    const quint64 batches = store.writeBatches() - batchesBefore;

    const qint64 rows = countRows(store, "usage_records");
    const qint64 attempts = countRows(store, "usage_attempts");
    const qint64 payloads = countRows(store, "usage_payloads");
    store.close();
    std::printf("database=%s mode=%s records=%d threads=%d rate=%d\n",
                db->url.dialect == SqlDialect::Sqlite ? "sqlite" : "postgres", legacy ? "legacy" : "coalesced", count, threads,
                rate);
    std::printf("produced_ms=%lld committed_ms=%lld rows_per_s=%.0f writer_batches=%llu flush_jobs=%llu\n", producedMs,
                elapsedMs, double(count) * 1000.0 / double(elapsedMs), static_cast<unsigned long long>(batches),
                static_cast<unsigned long long>(flushes));
    std::printf("peak_pending=%llu\n", static_cast<unsigned long long>(peakPending));
    std::printf("usage_records=%lld usage_attempts=%lld usage_payloads=%lld\n", rows, attempts, payloads);
    const bool complete = rows == count && attempts == count && payloads == count;
    if (!complete)
        std::printf("INCOMPLETE: expected %d rows in each table\n", count);
    return complete ? 0 : 1;
}
