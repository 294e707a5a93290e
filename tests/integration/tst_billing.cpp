#include "fakeupstream.h"
#include "harness/daemonprocess.h"
#include "harness/jsonobject.h"
#include "harness/parallelclient.h"
#include "harness/testdatabase.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace gw::test;

namespace {

QByteArray chatBody(const QString &model, const QJsonObject &extra = {})
{
    QJsonObject body{{QStringLiteral("model"), model},
                     {QStringLiteral("messages"), QJsonArray{obj({{QStringLiteral("role"), QStringLiteral("user")},
                                                                  {QStringLiteral("content"), QStringLiteral("one two three four")}})}}};
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        body.insert(it.key(), it.value());
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace

// Money through the relay: holds, charges, budgets, subscriptions and the
// access checks in front of them, on SQLite and on PostgreSQL.
class TestBilling : public QObject
{
    Q_OBJECT

    FakeUpstream m_upstream;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DaemonProcess> m_daemon;
    QString m_channel;
    QString m_user;

    DaemonProcess &d() { return *m_daemon; }

    void startDaemon(const QString &dataDir = {})
    {
        QFETCH_GLOBAL(QString, dialect);
        QFETCH_GLOBAL(QString, ledger);
        DaemonProcess::Options options;
        if (dialect == QLatin1String("postgres"))
            options.database = m_db->url();
        options.dataDir = dataDir;
        options.arguments = {QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--ledger"), ledger};
        m_daemon = std::make_unique<DaemonProcess>(options);
        QString error;
        QVERIFY2(m_daemon->start(&error), qPrintable(error));
    }

    void model(const QString &id, const QJsonObject &pricing, const QJsonObject &extra = {})
    {
        QJsonObject body{{QStringLiteral("id"), id}, {QStringLiteral("type"), QStringLiteral("chat")}, {QStringLiteral("pricing"), pricing},
                         {QStringLiteral("routes"), QJsonArray{obj({{QStringLiteral("channel"), m_channel}})}}};
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            body.insert(it.key(), it.value());
        const auto r = d().admin("POST", QStringLiteral("/models"), body);
        QVERIFY2(r.status == 201, r.body.constData());
    }

    QString user(double credits, const QJsonObject &extra = {})
    {
        QJsonObject body{{QStringLiteral("email"), QStringLiteral("u%1@example.com").arg(qrand())}, {QStringLiteral("credits"), credits}};
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            body.insert(it.key(), it.value());
        return d().admin("POST", QStringLiteral("/users"), body).json().value(QStringLiteral("id")).toString();
    }

    static int qrand()
    {
        static int n = 0;
        return ++n;
    }

    QByteArray key(const QString &userId, const QJsonObject &extra = {})
    {
        QJsonObject body{{QStringLiteral("name"), QStringLiteral("k")}};
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            body.insert(it.key(), it.value());
        const auto r = d().admin("POST", QStringLiteral("/users/%1/keys").arg(userId), body);
        return r.json().value(QStringLiteral("key")).toString().toLatin1();
    }

    HttpResult chat(const QByteArray &apiKey, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &extra = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + apiKey}};
        headers += extra;
        return httpRequest("POST", d().url(QStringLiteral("/v1/chat/completions")), body, headers);
    }

    QJsonObject account(const QString &userId) { return d().admin("GET", QStringLiteral("/users/") + userId).json(); }

    QJsonArray postings(const QString &userId)
    {
        QJsonArray all;
        QString cursor;
        do {
            const auto page = d().admin("GET", QStringLiteral("/users/%1/ledger?limit=500%2").arg(userId, cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            for (const QJsonValue &v : page.json().value(QStringLiteral("data")).toArray())
                all.append(v);
            cursor = page.json().value(QStringLiteral("next_cursor")).toString();
        } while (!cursor.isEmpty());
        return all;
    }

    // The invariants of money: balance = the sum of postings; held = the sum of open holds.
    void checkInvariants(const QString &userId)
    {
        const QJsonObject a = account(userId);
        double sum = 0;
        for (const QJsonValue &p : postings(userId))
            sum += p.toObject().value(QStringLiteral("amount")).toDouble();
        QCOMPARE(qRound64(a.value(QStringLiteral("balance")).toDouble() * 1e6), qRound64(sum * 1e6));
        double held = 0;
        for (const QJsonValue &h : d().admin("GET", QStringLiteral("/users/%1/holds?limit=500").arg(userId)).json().value(QStringLiteral("data")).toArray()) {
            if (h.toObject().value(QStringLiteral("closed_at")).isNull())
                held += h.toObject().value(QStringLiteral("amount")).toDouble();
        }
        QCOMPARE(qRound64(a.value(QStringLiteral("held")).toDouble() * 1e6), qRound64(held * 1e6));
    }

private Q_SLOTS:
    // Both authorities (the daemon's memory with its journal, the database)
    // on every database.
    void initTestCase_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<QString>("ledger");
        for (const QString &dialect : TestDatabase::dialects()) {
            for (const QString &ledger : {QStringLiteral("local"), QStringLiteral("shared")})
                QTest::newRow(qPrintable(dialect + QLatin1Char('-') + ledger)) << dialect << ledger;
        }
    }

    void initTestCase()
    {
        QVERIFY(m_upstream.startInThread());
    }

    void init()
    {
        QFETCH_GLOBAL(QString, dialect);
        m_upstream.reset();
        m_db = std::make_unique<TestDatabase>(dialect);
        QVERIFY2(m_db->isValid(), qPrintable(m_db->error()));
        startDaemon();
        m_channel = d().admin("POST", QStringLiteral("/channels"), obj({{QStringLiteral("name"), QStringLiteral("up")},
                                                                         {QStringLiteral("provider"), QStringLiteral("openai")},
                                                                         {QStringLiteral("base_url"), m_upstream.baseUrl()},
                                                                         {QStringLiteral("secret"), QStringLiteral("sk-up")}}))
                        .json().value(QStringLiteral("id")).toString();
    }

    void cleanup()
    {
        if (m_daemon)
            m_daemon->stop();
        m_daemon.reset();
        m_db.reset();
    }

    void chargesWhatTheCallUsed()
    {
        // 2 credits per Mtok in, 8 out, 0.001 per call.
        model(QStringLiteral("priced"), obj({{QStringLiteral("input_per_mtok"), 2}, {QStringLiteral("output_per_mtok"), 8},
                                             {QStringLiteral("per_request"), 0.001}}));
        const QString u = user(10);
        const QByteArray k = key(u);
        const auto r = chat(k, chatBody(QStringLiteral("priced")));
        QCOMPARE(r.status, 200);
        const QJsonObject usage = r.json().value(QStringLiteral("usage")).toObject();
        const qint64 in = usage.value(QStringLiteral("prompt_tokens")).toInteger();
        const qint64 out = usage.value(QStringLiteral("completion_tokens")).toInteger();
        // micro-credits: ceil((in * 2e6 + out * 8e6) / 1e6) + 1000
        const qint64 expected = (in * 2'000'000 + out * 8'000'000 + 999'999) / 1'000'000 + 1000;
        const QJsonArray ps = postings(u);
        QCOMPARE(ps.size(), 2); // the initial grant and this charge
        const QJsonObject charge = ps.first().toObject();
        QCOMPARE(charge.value(QStringLiteral("type")).toString(), QStringLiteral("charge"));
        QCOMPARE(qRound64(charge.value(QStringLiteral("amount")).toDouble() * 1e6), -expected);
        QCOMPARE(charge.value(QStringLiteral("request_id")).toString(), QString::fromLatin1(r.header("x-request-id")));
        QCOMPARE(charge.value(QStringLiteral("paid_by")).toString(), QStringLiteral("prepaid"));
        const QJsonObject a = account(u);
        QCOMPARE(qRound64(a.value(QStringLiteral("balance")).toDouble() * 1e6), 10'000'000 - expected);
        QCOMPARE(a.value(QStringLiteral("held")).toDouble(), 0.0);
        // The usage row keeps the prices it was charged at, even after they change.
        QCOMPARE(d().admin("PATCH", QStringLiteral("/models/priced"), obj({{QStringLiteral("pricing"), obj({{QStringLiteral("output_per_mtok"), 100}})}})).status, 200);
        QJsonObject row;
        for (int i = 0; i < 50 && row.isEmpty(); ++i) {
            const auto got = d().admin("GET", QStringLiteral("/usage/") + QString::fromLatin1(r.header("x-request-id")));
            if (got.status == 200)
                row = got.json();
            else
                QTest::qWait(20);
        }
        QCOMPARE(qRound64(row.value(QStringLiteral("credits")).toDouble() * 1e6), expected);
        QCOMPARE(row.value(QStringLiteral("prices")).toObject().value(QStringLiteral("output_per_mtok")).toDouble(), 8.0);
        checkInvariants(u);
    }

    void fortyConcurrentCallsWithCreditsForTen()
    {
        model(QStringLiteral("flat"), obj({{QStringLiteral("per_request"), 1}}));
        const QString u = user(10);
        const QByteArray k = key(u);
        m_upstream.setDefaultBehavior(FakeBehavior().withDelay(100)); // keep them overlapping
        const auto answers = ParallelClient::post(d().port(), "/v1/chat/completions", {{"Authorization", "Bearer " + k}},
                                                  chatBody(QStringLiteral("flat")), 40);
        int ok = 0;
        int refused = 0;
        for (const auto &a : answers) {
            if (a.status == 200)
                ++ok;
            else if (a.status == 402)
                ++refused;
        }
        QCOMPARE(ok, 10);
        QCOMPARE(refused, 30);
        const QJsonObject a = account(u);
        QCOMPARE(a.value(QStringLiteral("balance")).toDouble(), 0.0);
        QCOMPARE(a.value(QStringLiteral("held")).toDouble(), 0.0);
        QCOMPARE(postings(u).size(), 11);
        checkInvariants(u);
    }

    void refusesWhatCannotBePaid()
    {
        model(QStringLiteral("costly"), obj({{QStringLiteral("per_request"), 5}}));
        const QString u = user(4);
        const auto r = chat(key(u), chatBody(QStringLiteral("costly")));
        QCOMPARE(r.status, 402);
        QVERIFY(r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("credits")));
        QCOMPARE(m_upstream.requestCount(), 0); // refused before anything went upstream
        QCOMPARE(account(u).value(QStringLiteral("balance")).toDouble(), 4.0);
    }

    void anOverageIsChargedAndTheNextCallRefused()
    {
        // The hold assumes at most 1 output token; the answer is longer.
        model(QStringLiteral("capped"), obj({{QStringLiteral("output_per_mtok"), 1000000}}), obj({{QStringLiteral("max_output_tokens"), 1}}));
        const QString u = user(2);
        const QByteArray k = key(u);
        const auto r = chat(k, chatBody(QStringLiteral("capped")));
        QCOMPARE(r.status, 200);
        const qint64 out = r.json().value(QStringLiteral("usage")).toObject().value(QStringLiteral("completion_tokens")).toInteger();
        QVERIFY(out > 2);
        QCOMPARE(account(u).value(QStringLiteral("balance")).toDouble(), 2.0 - double(out)); // below zero by the overage
        QCOMPARE(chat(k, chatBody(QStringLiteral("capped"))).status, 402);
        QVERIFY(d().get(QStringLiteral("/metrics")).body.contains("gateway_billing_overages 1"));
        checkInvariants(u);
    }

    void aFailedCallCostsNothing()
    {
        model(QStringLiteral("flaky"), obj({{QStringLiteral("per_request"), 1}}));
        const QString u = user(5);
        m_upstream.setDefaultBehavior(FakeBehavior().withStatus(500));
        QCOMPARE(chat(key(u), chatBody(QStringLiteral("flaky"))).status, 502);
        const QJsonObject a = account(u);
        QCOMPARE(a.value(QStringLiteral("balance")).toDouble(), 5.0);
        QCOMPARE(a.value(QStringLiteral("held")).toDouble(), 0.0);
        const QJsonArray holds = d().admin("GET", QStringLiteral("/users/%1/holds").arg(u)).json().value(QStringLiteral("data")).toArray();
        QCOMPARE(holds.size(), 1);
        QCOMPARE(holds.first().toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("released"));
    }

    void streamsAreChargedBeforeTheyEnd()
    {
        model(QStringLiteral("streamed"), obj({{QStringLiteral("per_request"), 0.5}, {QStringLiteral("output_per_mtok"), 1}}));
        const QString u = user(3);
        const auto r = chat(key(u), chatBody(QStringLiteral("streamed"), obj({{QStringLiteral("stream"), true}})));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.trimmed().endsWith("data: [DONE]"));
        // The charge is durable by the time the stream ended: read it at once.
        const QJsonArray ps = postings(u);
        QCOMPARE(ps.size(), 2);
        QCOMPARE(ps.first().toObject().value(QStringLiteral("request_id")).toString(), QString::fromLatin1(r.header("x-request-id")));
        checkInvariants(u);
    }

    void projectBudgetsStopSpendingAndDrawOnTheOwner()
    {
        model(QStringLiteral("flat"), obj({{QStringLiteral("per_request"), 1}}));
        const QString u = user(100);
        const QString project = d().admin("POST", QStringLiteral("/users/%1/projects").arg(u),
                                          obj({{QStringLiteral("name"), QStringLiteral("web")}, {QStringLiteral("monthly_budget"), 3}}))
                                    .json().value(QStringLiteral("id")).toString();
        QVERIFY(project.startsWith(QStringLiteral("prj_")));
        const QByteArray k = key(u, obj({{QStringLiteral("project"), project}}));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(chat(k, chatBody(QStringLiteral("flat"))).status, 200);
        const auto refused = chat(k, chatBody(QStringLiteral("flat")));
        QCOMPARE(refused.status, 402);
        QVERIFY(refused.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("budget")));
        QCOMPARE(account(u).value(QStringLiteral("balance")).toDouble(), 97.0); // the owner paid
        QCOMPARE(postings(u).first().toObject().value(QStringLiteral("paid_by")).toString(), QStringLiteral("team"));
        const auto view = d().admin("GET", QStringLiteral("/projects/") + project).json();
        QCOMPARE(view.value(QStringLiteral("spent_this_month")).toDouble(), 3.0);
        // Raising the budget lets it spend again; the owner's other keys were never limited by it.
        QCOMPARE(d().admin("PATCH", QStringLiteral("/projects/") + project, obj({{QStringLiteral("monthly_budget"), 4}})).status, 200);
        QCOMPARE(chat(k, chatBody(QStringLiteral("flat"))).status, 200);
        QCOMPARE(chat(key(u), chatBody(QStringLiteral("flat"))).status, 200);
        checkInvariants(u);
    }

    void aSubscriptionAllowancePaysFirst()
    {
        model(QStringLiteral("flat"), obj({{QStringLiteral("per_request"), 2}}));
        const QString plan = d().admin("POST", QStringLiteral("/plans"), obj({{QStringLiteral("name"), QStringLiteral("pro")},
                                                                               {QStringLiteral("billing_mode"), QStringLiteral("subscription")},
                                                                               {QStringLiteral("monthly_allowance"), 3}}))
                                 .json().value(QStringLiteral("id")).toString();
        QVERIFY(!plan.isEmpty());
        const QString u = user(10, obj({{QStringLiteral("plan"), QStringLiteral("pro")}}));
        const QByteArray k = key(u);
        QCOMPARE(chat(k, chatBody(QStringLiteral("flat"))).status, 200); // 2 from the allowance
        QCOMPARE(chat(k, chatBody(QStringLiteral("flat"))).status, 200); // 1 from the allowance, 1 prepaid
        const QJsonArray ps = postings(u);
        // newest first: charge prepaid 1, charge subscription 1, charge subscription 2, grant allowance 3, initial grant 10
        QCOMPARE(ps.size(), 5);
        QCOMPARE(ps.at(0).toObject().value(QStringLiteral("paid_by")).toString(), QStringLiteral("prepaid"));
        QCOMPARE(ps.at(0).toObject().value(QStringLiteral("amount")).toDouble(), -1.0);
        QCOMPARE(ps.at(1).toObject().value(QStringLiteral("paid_by")).toString(), QStringLiteral("subscription"));
        QCOMPARE(ps.at(3).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("grant"));
        QCOMPARE(ps.at(3).toObject().value(QStringLiteral("paid_by")).toString(), QStringLiteral("subscription"));
        QCOMPARE(account(u).value(QStringLiteral("balance")).toDouble(), 9.0);
        checkInvariants(u);
        // A plan limits the models its users may call.
        QCOMPARE(d().admin("PATCH", QStringLiteral("/plans/") + plan, obj({{QStringLiteral("models"), QJsonArray{QStringLiteral("other-*")}}})).status, 200);
        QCOMPARE(chat(k, chatBody(QStringLiteral("flat"))).status, 403);
    }

    void rateLimitsAnswer429WithRetryAfter()
    {
        model(QStringLiteral("free"), obj({}));
        const QByteArray k = key(user(1), obj({{QStringLiteral("rpm"), 5}}));
        for (int i = 0; i < 5; ++i) {
            const auto r = chat(k, chatBody(QStringLiteral("free")));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("x-ratelimit-limit-requests"), QByteArray("5"));
            QCOMPARE(r.header("x-ratelimit-remaining-requests"), QByteArray::number(4 - i));
        }
        const auto limited = chat(k, chatBody(QStringLiteral("free")));
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("retry-after").toInt() >= 11 && limited.header("retry-after").toInt() <= 12);
        QCOMPARE(limited.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("rate_limit_error"));
        QCOMPARE(m_upstream.requestCount(), 5);
        // The key's bucket is held (not full), and /metrics counts it.
        QVERIFY(d().get(QStringLiteral("/metrics")).body.contains("\ngateway_rate_limit_entries 1\n"));
        // A global rule from the admin API applies to everyone.
        QCOMPARE(d().admin("POST", QStringLiteral("/rate-limits"), obj({{QStringLiteral("scope"), QStringLiteral("user")},
                                                                        {QStringLiteral("target"), QStringLiteral("nobody")},
                                                                        {QStringLiteral("rpm"), 1}})).status, 400);
    }

    void blocksAndKeyRulesAreEnforcedAtOnce()
    {
        model(QStringLiteral("free"), obj({}));
        const QString u = user(1);
        const QByteArray k = key(u);
        const QString keyId = d().admin("GET", QStringLiteral("/users/%1/keys").arg(u)).json().value(QStringLiteral("data")).toArray()
                                  .first().toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(chat(k, chatBody(QStringLiteral("free"))).status, 200);
        const auto block = d().admin("POST", QStringLiteral("/blocks"), obj({{QStringLiteral("key_id"), keyId},
                                                                            {QStringLiteral("provider"), QStringLiteral("*")},
                                                                            {QStringLiteral("reason"), QStringLiteral("abuse")}}));
        QCOMPARE(block.status, 201);
        const auto refused = chat(k, chatBody(QStringLiteral("free")));
        QCOMPARE(refused.status, 403);
        QVERIFY(refused.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("blocked")));
        QCOMPARE(d().admin("DELETE", QStringLiteral("/blocks/") + block.json().value(QStringLiteral("id")).toString()).status, 200);
        QCOMPARE(chat(k, chatBody(QStringLiteral("free"))).status, 200);
        // A block by prefix, for one provider only: the key's calls to that provider's channels stop.
        QCOMPARE(d().admin("POST", QStringLiteral("/blocks"), obj({{QStringLiteral("key_prefix"), QString::fromLatin1(k.left(10))},
                                                                   {QStringLiteral("provider"), QStringLiteral("openai")}})).status, 201);
        QCOMPARE(chat(k, chatBody(QStringLiteral("free"))).status, 503);

        // Expiry, IP allow lists and the account's status.
        const QByteArray expired = key(u, obj({{QStringLiteral("expires_at"), QStringLiteral("2020-01-01T00:00:00Z")}}));
        QCOMPARE(chat(expired, chatBody(QStringLiteral("free"))).status, 401);
        const QString other = user(1);
        const QByteArray fenced = key(other, obj({{QStringLiteral("ip_allow"), QJsonArray{QStringLiteral("10.0.0.0/8")}}}));
        QCOMPARE(chat(fenced, chatBody(QStringLiteral("free"))).status, 403);
        const QByteArray open = key(other, obj({{QStringLiteral("ip_allow"), QJsonArray{QStringLiteral("127.0.0.1")}}}));
        QCOMPARE(chat(open, chatBody(QStringLiteral("free"))).status, 200);
        QCOMPARE(d().admin("PATCH", QStringLiteral("/users/") + other, obj({{QStringLiteral("status"), QStringLiteral("disabled")}})).status, 200);
        QCOMPARE(chat(open, chatBody(QStringLiteral("free"))).status, 403);
    }

    void aConcurrencyCapRefusesTheExtraCalls()
    {
        model(QStringLiteral("free"), obj({}));
        const QByteArray k = key(user(1), obj({{QStringLiteral("max_concurrency"), 2}}));
        m_upstream.setDefaultBehavior(FakeBehavior().withDelay(300));
        const auto answers = ParallelClient::post(d().port(), "/v1/chat/completions", {{"Authorization", "Bearer " + k}},
                                                  chatBody(QStringLiteral("free")), 5);
        int ok = 0;
        int limited = 0;
        for (const auto &a : answers) {
            ok += a.status == 200;
            limited += a.status == 429;
        }
        QCOMPARE(ok, 2);
        QCOMPARE(limited, 3);
    }

    void upstreamCostIsRecordedByCostRules()
    {
        model(QStringLiteral("resold"), obj({{QStringLiteral("per_request"), 1}}));
        QCOMPARE(d().admin("POST", QStringLiteral("/cost-rules"), obj({{QStringLiteral("channel"), m_channel},
                                                                       {QStringLiteral("model_pattern"), QStringLiteral("res*")},
                                                                       {QStringLiteral("input_per_mtok"), 0},
                                                                       {QStringLiteral("output_per_mtok"), 0},
                                                                       {QStringLiteral("per_request"), 0.25}})).status, 201);
        const auto r = chat(key(user(5)), chatBody(QStringLiteral("resold")));
        QCOMPARE(r.status, 200);
        QJsonObject row;
        for (int i = 0; i < 50 && row.isEmpty(); ++i) {
            const auto got = d().admin("GET", QStringLiteral("/usage/") + QString::fromLatin1(r.header("x-request-id")));
            if (got.status == 200)
                row = got.json();
            else
                QTest::qWait(20);
        }
        QCOMPARE(row.value(QStringLiteral("credits")).toDouble(), 1.0);
        QCOMPARE(row.value(QStringLiteral("upstream_cost")).toDouble(), 0.25);
    }

    void ownersManageTheirOwnAccountOnly()
    {
        model(QStringLiteral("flat"), obj({{QStringLiteral("per_request"), 1}}));
        model(QStringLiteral("hidden"), obj({}));
        const QString plan = d().admin("POST", QStringLiteral("/plans"), obj({{QStringLiteral("name"), QStringLiteral("basic")},
                                                                               {QStringLiteral("models"), QJsonArray{QStringLiteral("flat")}}}))
                                 .json().value(QStringLiteral("id")).toString();
        const QString owner = user(20, obj({{QStringLiteral("plan"), plan}}));
        const QString stranger = user(20);
        const QByteArray manager = key(owner, obj({{QStringLiteral("scopes"), QJsonArray{QStringLiteral("manage")}}}));
        const QByteArray plain = key(owner);
        const QByteArray strangerKey = key(stranger);
        QCOMPARE(chat(plain, chatBody(QStringLiteral("flat"))).status, 200);
        QCOMPARE(chat(strangerKey, chatBody(QStringLiteral("flat"))).status, 200);
        auto get = [this](const QByteArray &k, const QString &path) {
            return httpRequest("GET", d().url(path), {}, {{"Authorization", "Bearer " + k}});
        };

        const auto account = get(manager, QStringLiteral("/v1/account"));
        QCOMPARE(account.status, 200);
        QCOMPARE(account.json().value(QStringLiteral("id")).toString(), owner);
        QCOMPARE(account.json().value(QStringLiteral("balance")).toDouble(), 19.0);
        QCOMPARE(account.json().value(QStringLiteral("plan")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("basic"));
        QCOMPARE(get(plain, QStringLiteral("/v1/account")).status, 403); // no manage scope

        // The plan decides what the account sees and may call.
        const QJsonArray models = get(plain, QStringLiteral("/v1/models")).json().value(QStringLiteral("data")).toArray();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models.first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("flat"));
        QCOMPARE(get(plain, QStringLiteral("/v1/models/hidden")).status, 404);
        QCOMPARE(chat(plain, chatBody(QStringLiteral("hidden"))).status, 403);

        QTRY_COMPARE_WITH_TIMEOUT(get(manager, QStringLiteral("/v1/account/usage")).json().value(QStringLiteral("data")).toArray().size(), 2, 5000);
        const QJsonArray usage = get(manager, QStringLiteral("/v1/account/usage")).json().value(QStringLiteral("data")).toArray();
        for (const QJsonValue &row : usage) {
            QCOMPARE(row.toObject().value(QStringLiteral("user")).toString(), owner);
            QVERIFY(!row.toObject().contains(QStringLiteral("upstream_cost")));
        }
        QCOMPARE(get(manager, QStringLiteral("/v1/account/ledger")).json().value(QStringLiteral("data")).toArray().size(), 2);

        const auto created = httpRequest("POST", d().url(QStringLiteral("/v1/account/keys")), "{\"name\": \"ci\"}",
                                         {{"Authorization", "Bearer " + manager}});
        QCOMPARE(created.status, 201);
        QVERIFY(created.json().value(QStringLiteral("key")).toString().startsWith(QStringLiteral("sk-")));
        QCOMPARE(get(manager, QStringLiteral("/v1/account/keys")).json().value(QStringLiteral("data")).toArray().size(), 3);
        const QString strangerKeyId = d().admin("GET", QStringLiteral("/users/%1/keys").arg(stranger)).json().value(QStringLiteral("data"))
                                          .toArray().first().toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(httpRequest("DELETE", d().url(QStringLiteral("/v1/account/keys/") + strangerKeyId), {},
                             {{"Authorization", "Bearer " + manager}}).status, 404);
        QCOMPARE(chat(strangerKey, chatBody(QStringLiteral("flat"))).status, 200); // untouched
        QCOMPARE(httpRequest("DELETE", d().url(QStringLiteral("/v1/account/keys/") + created.json().value(QStringLiteral("id")).toString()), {},
                             {{"Authorization", "Bearer " + manager}}).status, 200);

        const QString project = d().admin("POST", QStringLiteral("/users/%1/projects").arg(owner), obj({{QStringLiteral("name"), QStringLiteral("p")}}))
                                    .json().value(QStringLiteral("id")).toString();
        const QString strangerProject = d().admin("POST", QStringLiteral("/users/%1/projects").arg(stranger), obj({{QStringLiteral("name"), QStringLiteral("q")}}))
                                            .json().value(QStringLiteral("id")).toString();
        QCOMPARE(httpRequest("PATCH", d().url(QStringLiteral("/v1/account/projects/") + project), "{\"monthly_budget\": 5}",
                             {{"Authorization", "Bearer " + manager}}).status, 200);
        QCOMPARE(httpRequest("PATCH", d().url(QStringLiteral("/v1/account/projects/") + strangerProject), "{\"monthly_budget\": 5}",
                             {{"Authorization", "Bearer " + manager}}).status, 404);
        QCOMPARE(d().admin("GET", QStringLiteral("/projects/") + project).json().value(QStringLiteral("monthly_budget")).toDouble(), 5.0);
        const QJsonArray audit = d().admin("GET", QStringLiteral("/audit?resource=project&resource_id=") + project).json().value(QStringLiteral("data")).toArray();
        QCOMPARE(audit.first().toObject().value(QStringLiteral("actor_role")).toString(), QStringLiteral("owner"));
    }

    void aKilledDaemonLeavesNoHoldAndChargesEvery200Once()
    {
        model(QStringLiteral("flat"), obj({{QStringLiteral("per_request"), 0.01}}));
        const QString u = user(1000);
        const QByteArray k = key(u);
        // Twenty calls are answered; the rest are still waiting upstream when the daemon dies.
        m_upstream.enqueue(FakeBehavior().withDelay(20).withCount(20));
        m_upstream.setDefaultBehavior(FakeBehavior().withHang(true));
        QList<ParallelClient::Answer> answers;
        QTimer::singleShot(1500, [this] { ::kill(pid_t(d().pid()), SIGKILL); });
        answers = ParallelClient::post(d().port(), "/v1/chat/completions", {{"Authorization", "Bearer " + k}},
                                       chatBody(QStringLiteral("flat")), 60, 10000);
        m_daemon->waitForExit(5000);
        // The dead daemon's object owns the temporary data directory: keep it.
        const auto dead = std::move(m_daemon);
        startDaemon(dead->dataDir());
        QSet<QString> answered;
        for (const auto &a : answers) {
            if (a.status == 200)
                answered.insert(QString::fromLatin1(a.requestId));
        }
        QCOMPARE(answered.size(), 20);
        const QJsonObject a = account(u);
        QCOMPARE(a.value(QStringLiteral("held")).toDouble(), 0.0);
        QHash<QString, int> charges;
        for (const QJsonValue &p : postings(u)) {
            if (p.toObject().value(QStringLiteral("type")).toString() == QLatin1String("charge"))
                ++charges[p.toObject().value(QStringLiteral("request_id")).toString()];
        }
        if (qEnvironmentVariableIsSet("GW_DEBUG_KILL")) {
            for (const QString &id : answered)
                qInfo("answered %s", qPrintable(id));
            for (auto it = charges.cbegin(); it != charges.cend(); ++it)
                qInfo("charged %s %d", qPrintable(it.key()), it.value());
        }
        for (const QString &id : answered)
            QVERIFY2(charges.value(id) == 1, qPrintable(id + QStringLiteral(" charged %1 times").arg(charges.value(id))));
        // Only answered calls were charged: those in flight had their holds released.
        QCOMPARE(charges.size(), 20);
        for (const QJsonValue &h : d().admin("GET", QStringLiteral("/users/%1/holds?limit=500").arg(u)).json().value(QStringLiteral("data")).toArray())
            QVERIFY(!h.toObject().value(QStringLiteral("closed_at")).isNull());
        checkInvariants(u);
    }
};

QTEST_GUILESS_MAIN(TestBilling)
#include "tst_billing.moc"
