#include "fakeupstream.h"
#include "harness/daemonprocess.h"
#include "harness/jsonobject.h"

#include <QJsonArray>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace gw::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray chatBody(const QString &model, bool stream = false, const QJsonObject &extra = {})
{
    QJsonObject body{{QStringLiteral("model"), model},
                     {QStringLiteral("messages"), QJsonArray{obj({{QStringLiteral("role"), QStringLiteral("user")},
                                                                  {QStringLiteral("content"), QStringLiteral("Say hello in one short sentence.")}})}}};
    if (stream)
        body.insert(QStringLiteral("stream"), true);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        body.insert(it.key(), it.value());
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// The data lines of an SSE body, in order.
QList<QByteArray> sseData(const QByteArray &body)
{
    QList<QByteArray> out;
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith("data: "))
            out.append(line.mid(6));
    }
    return out;
}

} // namespace

// The OpenAI-compatible relay end to end: the real gatewayd in front of fake
// upstreams, driven over HTTP.
class TestRelay : public QObject
{
    Q_OBJECT

    std::unique_ptr<DaemonProcess> m_daemon;
    FakeUpstream m_primary;
    FakeUpstream m_secondary;
    QString m_primaryChannel;
    QString m_secondaryChannel;
    QString m_user;
    QByteArray m_key;

    DaemonProcess &d() { return *m_daemon; }

    QString createChannel(const QString &name, const QString &baseUrl, int priority, int weight = 1,
                          const QJsonObject &extra = {})
    {
        QJsonObject body{{QStringLiteral("name"), name}, {QStringLiteral("provider"), QStringLiteral("openai")},
                         {QStringLiteral("base_url"), baseUrl}, {QStringLiteral("secret"), QString(QStringLiteral("sk-upstream-") + name)},
                         {QStringLiteral("types"), QJsonArray{QStringLiteral("chat"), QStringLiteral("embeddings")}},
                         {QStringLiteral("priority"), priority}, {QStringLiteral("weight"), weight}};
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            body.insert(it.key(), it.value());
        const auto r = d().admin("POST", QStringLiteral("/channels"), body);
        return r.json().value(QStringLiteral("id")).toString();
    }

    void createModel(const QString &id, const QJsonArray &routes, const QJsonObject &fallback = {}, const QString &type = QStringLiteral("chat"))
    {
        QJsonObject body{{QStringLiteral("id"), id}, {QStringLiteral("type"), type}, {QStringLiteral("routes"), routes}};
        if (!fallback.isEmpty())
            body.insert(QStringLiteral("fallback"), fallback);
        const auto r = d().admin("POST", QStringLiteral("/models"), body);
        QVERIFY2(r.status == 201, r.body.constData());
    }

    QByteArray createKey(const QJsonObject &body = {})
    {
        QJsonObject b = body;
        if (!b.contains(QStringLiteral("name")))
            b.insert(QStringLiteral("name"), QStringLiteral("test"));
        return d().admin("POST", QStringLiteral("/users/%1/keys").arg(m_user), b).json().value(QStringLiteral("key")).toString().toLatin1();
    }

    HttpResult chat(const QByteArray &body, const QByteArray &key = {}, const QString &path = QStringLiteral("/v1/chat/completions"))
    {
        return httpRequest("POST", d().url(path), body, {{"Authorization", "Bearer " + (key.isEmpty() ? m_key : key)}});
    }

    QJsonObject usageOf(const HttpResult &r)
    {
        const QString id = QString::fromLatin1(r.header("x-request-id"));
        // The usage row is written by the batched writer just after the answer.
        HttpResult u;
        for (int i = 0; i < 50; ++i) {
            u = d().admin("GET", QStringLiteral("/usage/") + id);
            if (u.status == 200)
                break;
            QTest::qWait(20);
        }
        return u.json();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_primary.startInThread());
        QVERIFY(m_secondary.startInThread());
    }

    void init()
    {
        m_primary.reset();
        m_secondary.reset();
        DaemonProcess::Options options;
        options.arguments = {QStringLiteral("--breaker-failures"), QStringLiteral("3"), QStringLiteral("--breaker-cooldown"),
                             QStringLiteral("0.5"), QStringLiteral("--workers"), QStringLiteral("1"),
                             QStringLiteral("--routing-seed"), QStringLiteral("42")};
        m_daemon = std::make_unique<DaemonProcess>(options);
        QString error;
        QVERIFY2(m_daemon->start(&error), qPrintable(error));
        m_primaryChannel = createChannel(QStringLiteral("primary"), m_primary.baseUrl(), 10);
        m_secondaryChannel = createChannel(QStringLiteral("secondary"), m_secondary.baseUrl() + QStringLiteral("/v1"), 5);
        createModel(QStringLiteral("gpt-test"),
                    QJsonArray{obj({{QStringLiteral("channel"), m_primaryChannel}, {QStringLiteral("upstream_model"), QStringLiteral("up-primary")}}),
                               obj({{QStringLiteral("channel"), m_secondaryChannel}, {QStringLiteral("upstream_model"), QStringLiteral("up-secondary")}})});
        m_user = d().admin("POST", QStringLiteral("/users"), obj({{QStringLiteral("email"), QStringLiteral("relay@example.com")},
                                                                  {QStringLiteral("credits"), 1000}}))
                     .json().value(QStringLiteral("id")).toString();
        m_key = createKey();
        QVERIFY(m_key.startsWith("sk-"));
    }

    void cleanup()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->stop(), 0);
        m_daemon.reset();
    }

    void relaysAChatCompletion()
    {
        const auto r = chat(chatBody(QStringLiteral("gpt-test")));
        QCOMPARE(r.status, 200);
        const QJsonObject answer = r.json();
        QCOMPARE(answer.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-test")); // the public id
        QCOMPARE(answer.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        QVERIFY(answer.value(QStringLiteral("choices")).toArray().first().toObject().value(QStringLiteral("message")).toObject()
                    .value(QStringLiteral("content")).toString().startsWith(QStringLiteral("Echo: ")));
        QVERIFY(r.header("x-request-id").startsWith("req_"));
        // What the upstream got: its own model name, the channel's key, the rest untouched.
        const auto seen = m_primary.lastRequest();
        QCOMPARE(seen.path, QStringLiteral("/v1/chat/completions"));
        QCOMPARE(seen.jsonBody().value(QStringLiteral("model")).toString(), QStringLiteral("up-primary"));
        QCOMPARE(seen.header("authorization"), QByteArray("Bearer sk-upstream-primary"));
        QVERIFY(!seen.body.contains(m_key));
        QCOMPARE(m_secondary.requestCount(), 0);

        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(usage.value(QStringLiteral("channel")).toString(), m_primaryChannel);
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens")).toInt(),
                 answer.value(QStringLiteral("usage")).toObject().value(QStringLiteral("prompt_tokens")).toInt());
        QCOMPARE(usage.value(QStringLiteral("completion_tokens")).toInt(),
                 answer.value(QStringLiteral("usage")).toObject().value(QStringLiteral("completion_tokens")).toInt());
        QCOMPARE(usage.value(QStringLiteral("estimated")).toBool(), false);
        QCOMPARE(usage.value(QStringLiteral("attempts")).toArray().size(), 1);
        QVERIFY(usage.value(QStringLiteral("attempts")).toArray().first().toObject().value(QStringLiteral("upstream_request_id"))
                    .toString().startsWith(QStringLiteral("fake-req-")));
        QVERIFY(usage.value(QStringLiteral("request_body")).toString().contains(QStringLiteral("Say hello")));
        QVERIFY(usage.value(QStringLiteral("response_body")).toString().contains(QStringLiteral("Echo: ")));
    }

    void streamsEventsAsTheyArrive()
    {
        m_primary.enqueue(FakeBehavior().withStreamInterval(40));
        const auto r = chat(chatBody(QStringLiteral("gpt-test"), true));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("text/event-stream"));
        const QList<QByteArray> events = sseData(r.body);
        QVERIFY(events.size() >= 4);
        QCOMPARE(events.last(), QByteArray("[DONE]"));
        // The gateway asked the upstream for usage, but this caller did not: no usage chunk reaches it.
        QCOMPARE(m_primary.lastRequest().jsonBody().value(QStringLiteral("stream_options")).toObject()
                     .value(QStringLiteral("include_usage")).toBool(), true);
        QString text;
        for (const QByteArray &e : events.mid(0, events.size() - 1)) {
            const QJsonObject chunk = QJsonDocument::fromJson(e).object();
            QCOMPARE(chunk.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-test"));
            QVERIFY(!chunk.value(QStringLiteral("choices")).toArray().isEmpty());
            QVERIFY(!chunk.contains(QStringLiteral("usage")) || !chunk.value(QStringLiteral("usage")).isNull());
            text += chunk.value(QStringLiteral("choices")).toArray().first().toObject().value(QStringLiteral("delta")).toObject()
                        .value(QStringLiteral("content")).toString();
        }
        QVERIFY(text.startsWith(QStringLiteral("Echo: ")));
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(QStringLiteral("stream")).toBool(), true);
        QCOMPARE(usage.value(QStringLiteral("estimated")).toBool(), false); // taken from the final chunk
        QVERIFY(usage.value(QStringLiteral("completion_tokens")).toInt() > 0);
        QCOMPARE(usage.value(QStringLiteral("response_body")).toString(), text); // stored as the assembled text
        QCOMPARE(usage.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
    }

    void streamsUsageWhenTheCallerAsksForIt()
    {
        const auto r = chat(chatBody(QStringLiteral("gpt-test"), true,
                                     obj({{QStringLiteral("stream_options"), obj({{QStringLiteral("include_usage"), true}})}})));
        const QList<QByteArray> events = sseData(r.body);
        const QJsonObject last = QJsonDocument::fromJson(events.at(events.size() - 2)).object();
        QVERIFY(last.value(QStringLiteral("choices")).toArray().isEmpty());
        QVERIFY(last.value(QStringLiteral("usage")).toObject().value(QStringLiteral("total_tokens")).toInt() > 0);
    }

    void estimatesUsageWhenAStreamHasNone()
    {
        m_primary.enqueue(FakeBehavior().withOmitUsage(true));
        const auto r = chat(chatBody(QStringLiteral("gpt-test"), true));
        QCOMPARE(r.status, 200);
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(QStringLiteral("estimated")).toBool(), true);
        QVERIFY(usage.value(QStringLiteral("prompt_tokens")).toInt() > 0);
        QVERIFY(usage.value(QStringLiteral("completion_tokens")).toInt() > 0);
    }

    void fallsBackOnEachFailureKind_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("errorClass");
        QTest::newRow("5xx") << QStringLiteral("status=500") << QStringLiteral("5xx");
        QTest::newRow("429") << QStringLiteral("status=429,retry_after=1") << QStringLiteral("429");
        QTest::newRow("auth") << QStringLiteral("status=401") << QStringLiteral("auth");
        QTest::newRow("malformed") << QStringLiteral("status=200,cut=0") << QStringLiteral("protocol");
    }
    void fallsBackOnEachFailureKind()
    {
        QFETCH(QString, spec);
        QFETCH(QString, errorClass);
        m_primary.enqueue(FakeBehavior::fromSpec(spec));
        const auto r = chat(chatBody(QStringLiteral("gpt-test")));
        QCOMPARE(r.status, 200);
        QCOMPARE(m_primary.requestCount(), 1);
        QCOMPARE(m_secondary.requestCount(), 1);
        QCOMPARE(m_secondary.lastRequest().jsonBody().value(QStringLiteral("model")).toString(), QStringLiteral("up-secondary"));
        const QJsonArray attempts = usageOf(r).value(QStringLiteral("attempts")).toArray();
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts.at(0).toObject().value(QStringLiteral("error_class")).toString(), errorClass);
        QCOMPARE(attempts.at(0).toObject().value(QStringLiteral("channel")).toString(), m_primaryChannel);
        QCOMPARE(attempts.at(1).toObject().value(QStringLiteral("error_class")).toString(), QStringLiteral("ok"));
    }

    void fallsBackWhenTheUpstreamIsUnreachableOrSlow()
    {
        // A channel on a port nothing listens on, and one that never answers.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 deadPort = closed.serverPort();
        closed.close();
        const QString dead = createChannel(QStringLiteral("dead"), QStringLiteral("http://127.0.0.1:%1").arg(deadPort), 20);
        const QString slow = createChannel(QStringLiteral("slow"), m_primary.baseUrl(), 15, 1, obj({{QStringLiteral("timeout_ms"), 400}}));
        createModel(QStringLiteral("gpt-chain"),
                    QJsonArray{obj({{QStringLiteral("channel"), dead}}), obj({{QStringLiteral("channel"), slow}}),
                               obj({{QStringLiteral("channel"), m_secondaryChannel}})},
                    obj({{QStringLiteral("max_attempts"), 3}}));
        m_primary.enqueue(FakeBehavior().withHang(true));
        const auto r = chat(chatBody(QStringLiteral("gpt-chain")));
        QCOMPARE(r.status, 200);
        const QJsonArray attempts = usageOf(r).value(QStringLiteral("attempts")).toArray();
        QCOMPARE(attempts.size(), 3);
        QCOMPARE(attempts.at(0).toObject().value(QStringLiteral("error_class")).toString(), QStringLiteral("connect"));
        QCOMPARE(attempts.at(1).toObject().value(QStringLiteral("error_class")).toString(), QStringLiteral("timeout"));
        QCOMPARE(attempts.at(2).toObject().value(QStringLiteral("error_class")).toString(), QStringLiteral("ok"));
    }

    void fallsBackToOtherModelsOnlyWhereTheKeyMay()
    {
        createModel(QStringLiteral("gpt-backup"), QJsonArray{obj({{QStringLiteral("channel"), m_secondaryChannel},
                                                                  {QStringLiteral("upstream_model"), QStringLiteral("up-backup")}})});
        createModel(QStringLiteral("gpt-main"), QJsonArray{obj({{QStringLiteral("channel"), m_primaryChannel}})},
                    obj({{QStringLiteral("models"), QJsonArray{QStringLiteral("gpt-backup")}}}));
        m_primary.setDefaultBehavior(FakeBehavior().withStatus(503));
        const auto r = chat(chatBody(QStringLiteral("gpt-main")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("model")).toString(), QStringLiteral("gpt-main"));
        QCOMPARE(m_secondary.lastRequest().jsonBody().value(QStringLiteral("model")).toString(), QStringLiteral("up-backup"));
        const QJsonArray attempts = usageOf(r).value(QStringLiteral("attempts")).toArray();
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts.at(1).toObject().value(QStringLiteral("model")).toString(), QStringLiteral("gpt-backup"));

        // A key scoped to gpt-main alone may not be served by gpt-backup.
        const int before = m_secondary.requestCount();
        const QByteArray scoped = createKey(obj({{QStringLiteral("models"), QJsonArray{QStringLiteral("gpt-main")}}}));
        QCOMPARE(chat(chatBody(QStringLiteral("gpt-main")), scoped).status, 502);
        QCOMPARE(m_secondary.requestCount(), before);
    }

    void neverFallsBackOnTheCallersOwnError()
    {
        m_primary.enqueue(FakeBehavior().withStatus(400).withErrorMessage(QStringLiteral("temperature must be at most 2")));
        const auto r = chat(chatBody(QStringLiteral("gpt-test")));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString(),
                 QStringLiteral("temperature must be at most 2"));
        QCOMPARE(m_secondary.requestCount(), 0);
        QCOMPARE(usageOf(r).value(QStringLiteral("attempts")).toArray().size(), 1);
    }

    void theLastFailureDecidesTheStatus_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<int>("status");
        QTest::newRow("5xx then 5xx") << QStringLiteral("status=500") << QStringLiteral("status=503") << 502;
        QTest::newRow("5xx then 429") << QStringLiteral("status=500") << QStringLiteral("status=429,retry_after=3") << 429;
        QTest::newRow("429 then 5xx") << QStringLiteral("status=429") << QStringLiteral("status=502") << 502;
        QTest::newRow("auth then auth") << QStringLiteral("status=401") << QStringLiteral("status=403") << 502;
        QTest::newRow("5xx then caller error") << QStringLiteral("status=500") << QStringLiteral("status=422") << 422;
    }
    void theLastFailureDecidesTheStatus()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(int, status);
        m_primary.enqueue(FakeBehavior::fromSpec(first));
        m_secondary.enqueue(FakeBehavior::fromSpec(second));
        const auto r = chat(chatBody(QStringLiteral("gpt-test")));
        QCOMPARE(r.status, status);
        QVERIFY(r.json().contains(QStringLiteral("error")));
        if (status == 429)
            QCOMPARE(r.header("retry-after"), QByteArray("3"));
        // An upstream 401 is never the caller's 401.
        QVERIFY(r.status != 401 && r.status != 403);
        QCOMPARE(usageOf(r).value(QStringLiteral("attempts")).toArray().size(), 2);
    }

    void aFailingChannelStopsBeingTriedOnceItsBreakerOpens()
    {
        m_primary.setDefaultBehavior(FakeBehavior().withStatus(500));
        for (int i = 0; i < 8; ++i)
            QCOMPARE(chat(chatBody(QStringLiteral("gpt-test"))).status, 200);
        QCOMPARE(m_primary.requestCount(), 3); // --breaker-failures 3, then it is left out
        QCOMPARE(m_secondary.requestCount(), 8);
        const auto channel = d().admin("GET", QStringLiteral("/channels/") + m_primaryChannel).json();
        QCOMPARE(channel.value(QStringLiteral("health")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("open"));
        // /metrics says the same: eight calls answered by the second channel,
        // three 5xx attempts on the first, whose breaker is open.
        const QByteArray metrics = d().get(QStringLiteral("/metrics")).body;
        const QByteArray answered = "gateway_relay_calls_total{family=\"openai\",model=\"gpt-test\",channel=\"" + m_secondaryChannel.toUtf8()
                                    + "\",status=\"200\",stream=\"false\"} 8\n";
        QVERIFY2(metrics.contains(answered), metrics.constData());
        QVERIFY(metrics.contains(QByteArray("gateway_upstream_attempts_total{channel=\"" + m_primaryChannel.toUtf8() + "\",outcome=\"5xx\"} 3\n")));
        QVERIFY(metrics.contains(QByteArray("gateway_channel_breaker_state{channel=\"" + m_primaryChannel.toUtf8() + "\"} 2\n")));
        QVERIFY(metrics.contains("gateway_relay_call_duration_seconds_count{family=\"openai\",model=\"gpt-test\"} 8\n"));
        QVERIFY(metrics.contains("gateway_relay_open_streams 0\n"));

        // Healthy again: after the cool-down one probe goes through and closes it.
        m_primary.setDefaultBehavior(FakeBehavior());
        QTest::qWait(600);
        const auto r = chat(chatBody(QStringLiteral("gpt-test")));
        QCOMPARE(r.status, 200);
        QCOMPARE(m_primary.requestCount(), 4);
        QCOMPARE(usageOf(r).value(QStringLiteral("channel")).toString(), m_primaryChannel);
        const auto after = d().admin("GET", QStringLiteral("/channels/") + m_primaryChannel).json();
        QCOMPARE(after.value(QStringLiteral("health")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("closed"));
    }

    void aRateLimitedChannelRestsForItsRetryAfter()
    {
        m_primary.enqueue(FakeBehavior().withStatus(429).withRetryAfter(QStringLiteral("2")));
        QCOMPARE(chat(chatBody(QStringLiteral("gpt-test"))).status, 200);
        QCOMPARE(chat(chatBody(QStringLiteral("gpt-test"))).status, 200);
        QCOMPARE(m_primary.requestCount(), 1); // parked for two seconds
        QCOMPARE(m_secondary.requestCount(), 2);
    }

    void weightsSplitTraffic()
    {
        const QString a = createChannel(QStringLiteral("w3"), m_primary.baseUrl(), 1, 3);
        const QString b = createChannel(QStringLiteral("w1"), m_secondary.baseUrl(), 1, 1);
        createModel(QStringLiteral("gpt-weighted"), QJsonArray{obj({{QStringLiteral("channel"), a}}), obj({{QStringLiteral("channel"), b}})});
        const int calls = 200;
        for (int i = 0; i < calls; ++i)
            QCOMPARE(chat(chatBody(QStringLiteral("gpt-weighted"))).status, 200);
        const int heavy = m_primary.requestCount();
        QCOMPARE(heavy + m_secondary.requestCount(), calls);
        // 3:1 over 200 calls: 150 expected; with the fixed seed the run is the same every time,
        // and the bound is four standard deviations wide.
        QVERIFY2(heavy >= 126 && heavy <= 174, qPrintable(QString::number(heavy)));
    }

    void keysSeeOnlyTheirModels()
    {
        createModel(QStringLiteral("gpt-other"), QJsonArray{obj({{QStringLiteral("channel"), m_primaryChannel}})});
        const QByteArray scoped = createKey(obj({{QStringLiteral("models"), QJsonArray{QStringLiteral("gpt-test")}}}));
        const auto list = httpRequest("GET", d().url(QStringLiteral("/v1/models")), {}, {{"Authorization", "Bearer " + scoped}});
        QCOMPARE(list.status, 200);
        const QJsonArray data = list.json().value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), 1);
        QCOMPARE(data.first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("gpt-test"));
        QCOMPARE(httpRequest("GET", d().url(QStringLiteral("/v1/models/gpt-other")), {}, {{"Authorization", "Bearer " + scoped}}).status, 404);
        QCOMPARE(httpRequest("GET", d().url(QStringLiteral("/v1/models/gpt-test")), {}, {{"Authorization", "Bearer " + scoped}}).status, 200);
        QCOMPARE(chat(chatBody(QStringLiteral("gpt-other")), scoped).status, 403);
        QCOMPARE(chat(chatBody(QStringLiteral("gpt-other"))).status, 200); // the unscoped key may
        // Anthropic's SDK asks with anthropic-version and gets its own list shape.
        const auto anthropic = httpRequest("GET", d().url(QStringLiteral("/v1/models")), {},
                                           {{"x-api-key", scoped}, {"anthropic-version", "2023-06-01"}});
        QCOMPARE(anthropic.json().value(QStringLiteral("data")).toArray().first().toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("model"));
        QCOMPARE(anthropic.json().value(QStringLiteral("has_more")).toBool(), false);
    }

    void acceptsTheKeyFromEverySource()
    {
        const QByteArray body = chatBody(QStringLiteral("gpt-test"));
        QCOMPARE(httpRequest("POST", d().url(QStringLiteral("/v1/chat/completions")), body, {{"x-api-key", m_key}}).status, 200);
        QCOMPARE(httpRequest("POST", d().url(QStringLiteral("/v1/chat/completions")), body, {{"x-goog-api-key", m_key}}).status, 200);
        QCOMPARE(httpRequest("POST", d().url(QStringLiteral("/v1/chat/completions?key=") + QString::fromLatin1(m_key)), body).status, 200);
        const auto missing = httpRequest("POST", d().url(QStringLiteral("/v1/chat/completions")), body);
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("authentication_error"));
        QCOMPARE(chat(body, "sk-not-a-key-of-this-gateway-000000000000").status, 401);
        const QString keyId = d().admin("GET", QStringLiteral("/users/%1/keys").arg(m_user)).json().value(QStringLiteral("data"))
                                  .toArray().first().toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(d().admin("PATCH", QStringLiteral("/keys/") + keyId, obj({{QStringLiteral("status"), QStringLiteral("disabled")}})).status, 200);
        QCOMPARE(chat(body).status, 403);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/keys/") + keyId).status, 200);
        QCOMPARE(chat(body).status, 401);
    }

    void servesTheAliasesAndRefusesBadBodies()
    {
        QCOMPARE(chat(chatBody(QStringLiteral("gpt-test")), {}, QStringLiteral("/openai/v1/chat/completions")).status, 200);
        QCOMPARE(chat(chatBody(QStringLiteral("gpt-test")), {}, QStringLiteral("/api/v1/chat/completions")).status, 200);
        const auto broken = chat("{\"model\": \"gpt-test\", \"messages\": [");
        QCOMPARE(broken.status, 400);
        QCOMPARE(broken.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("invalid_request_error"));
        const auto noModel = chat("{\"messages\": []}");
        QCOMPARE(noModel.status, 400);
        QCOMPARE(noModel.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(), QStringLiteral("model"));
        QCOMPARE(chat(chatBody(QStringLiteral("no-such-model"))).status, 404);
        QCOMPARE(m_primary.requestCount(), 2);
    }

    void aCallerThatGoesAwayCancelsTheUpstreamCall()
    {
        m_primary.enqueue(FakeBehavior().withStreamInterval(300));
        const int before = m_primary.clientAborts();
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, d().port());
        QVERIFY(socket.waitForConnected(3000));
        const QByteArray body = chatBody(QStringLiteral("gpt-test"), true);
        socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_key
                     + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(socket.waitForReadyRead(5000)); // the first event arrived
        socket.abort();
        QTRY_COMPARE_WITH_TIMEOUT(m_primary.clientAborts(), before + 1, 5000);
        // The row says who left and what had been delivered.
        HttpResult list;
        for (int i = 0; i < 50; ++i) {
            list = d().admin("GET", QStringLiteral("/usage?limit=1"));
            if (list.json().value(QStringLiteral("data")).toArray().size() == 1)
                break;
            QTest::qWait(20);
        }
        const QJsonObject row = list.json().value(QStringLiteral("data")).toArray().first().toObject();
        QCOMPARE(row.value(QStringLiteral("cut_reason")).toString(), QStringLiteral("client_gone"));
    }

    void aStreamCutMidwayEndsWithAnErrorEvent()
    {
        m_primary.enqueue(FakeBehavior().withCutAfterEvents(3));
        const auto r = chat(chatBody(QStringLiteral("gpt-test"), true));
        QCOMPARE(r.status, 200);
        const QList<QByteArray> events = sseData(r.body);
        QVERIFY(events.size() >= 2);
        QVERIFY(events.last().contains("\"error\""));
        QVERIFY(!events.contains("[DONE]"));
        QCOMPARE(m_secondary.requestCount(), 0); // bytes had gone out: no fallback
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(QStringLiteral("cut_reason")).toString(), QStringLiteral("upstream_cut"));
        QVERIFY(usage.value(QStringLiteral("delivered_chars")).toInt() > 0);
    }

    void relaysEmbeddings()
    {
        createModel(QStringLiteral("emb-test"), QJsonArray{obj({{QStringLiteral("channel"), m_primaryChannel},
                                                                {QStringLiteral("upstream_model"), QStringLiteral("text-embedding-3-small")}})},
                    {}, QStringLiteral("embeddings"));
        const QByteArray body = QJsonDocument(obj({{QStringLiteral("model"), QStringLiteral("emb-test")},
                                                   {QStringLiteral("input"), QJsonArray{QStringLiteral("one"), QStringLiteral("two")}},
                                                   {QStringLiteral("encoding_format"), QStringLiteral("base64")}})).toJson();
        const auto r = httpRequest("POST", d().url(QStringLiteral("/v1/embeddings")), body, {{"Authorization", "Bearer " + m_key}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("model")).toString(), QStringLiteral("emb-test"));
        QCOMPARE(r.json().value(QStringLiteral("data")).toArray().size(), 2);
        QCOMPARE(m_primary.lastRequest().jsonBody().value(QStringLiteral("model")).toString(), QStringLiteral("text-embedding-3-small"));
        QVERIFY(usageOf(r).value(QStringLiteral("prompt_tokens")).toInt() > 0);
        // A chat model on the embeddings route is the caller's mistake.
        const QByteArray wrong = QJsonDocument(obj({{QStringLiteral("model"), QStringLiteral("gpt-test")}, {QStringLiteral("input"), QStringLiteral("x")}})).toJson();
        QCOMPARE(httpRequest("POST", d().url(QStringLiteral("/v1/embeddings")), wrong, {{"Authorization", "Bearer " + m_key}}).status, 400);
    }

    void payloadStorageFollowsTheKeyAndTheRole()
    {
        const QByteArray quiet = createKey(obj({{QStringLiteral("store_payloads"), false}}));
        const auto r = chat(chatBody(QStringLiteral("gpt-test")), quiet);
        QCOMPARE(r.status, 200);
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(QStringLiteral("payload_stored")).toBool(), false);
        QVERIFY(usage.value(QStringLiteral("request_body")).isNull());

        const auto stored = chat(chatBody(QStringLiteral("gpt-test")));
        const QByteArray support = d().admin("POST", QStringLiteral("/admin-tokens"), obj({{QStringLiteral("role"), QStringLiteral("support")}}))
                                       .json().value(QStringLiteral("token")).toString().toLatin1();
        usageOf(stored); // wait for the row
        const auto seen = d().admin("GET", QStringLiteral("/usage/") + QString::fromLatin1(stored.header("x-request-id")), {}, support);
        QCOMPARE(seen.status, 200);
        QCOMPARE(seen.json().value(QStringLiteral("payload_redacted")).toBool(), true);
        QVERIFY(!seen.body.contains("Say hello"));
        QVERIFY(seen.json().value(QStringLiteral("request_body")).toString().contains(QStringLiteral("redacted")));
    }

    void usageIsSearchable()
    {
        for (int i = 0; i < 3; ++i)
            chat(chatBody(QStringLiteral("gpt-test")));
        m_primary.enqueue(FakeBehavior().withStatus(400));
        chat(chatBody(QStringLiteral("gpt-test")));
        QTest::qWait(200);
        const auto all = d().admin("GET", QStringLiteral("/usage?user=") + m_user);
        QCOMPARE(all.json().value(QStringLiteral("data")).toArray().size(), 4);
        QCOMPARE(d().admin("GET", QStringLiteral("/usage?status=400")).json().value(QStringLiteral("data")).toArray().size(), 1);
        QCOMPARE(d().admin("GET", QStringLiteral("/usage?status=200&user=") + m_user).json().value(QStringLiteral("data")).toArray().size(), 3);
        QCOMPARE(d().admin("GET", QStringLiteral("/usage?status=502")).json().value(QStringLiteral("data")).toArray().size(), 0);
        QCOMPARE(d().admin("GET", QStringLiteral("/usage?model=nothing")).json().value(QStringLiteral("data")).toArray().size(), 0);
        const auto page1 = d().admin("GET", QStringLiteral("/usage?limit=3"));
        QCOMPARE(page1.json().value(QStringLiteral("data")).toArray().size(), 3);
        const QString cursor = page1.json().value(QStringLiteral("next_cursor")).toString();
        QVERIFY(!cursor.isEmpty());
        QCOMPARE(d().admin("GET", QStringLiteral("/usage?limit=3&cursor=") + cursor).json().value(QStringLiteral("data")).toArray().size(), 1);
        const QString future = QDateTime::currentDateTimeUtc().addDays(1).toString(Qt::ISODate);
        QCOMPARE(d().admin("GET", QStringLiteral("/usage?from=") + future).json().value(QStringLiteral("data")).toArray().size(), 0);
        QCOMPARE(d().admin("GET", QStringLiteral("/usage?from=yesterday")).status, 400);
    }

    void imagesAreRelayedAndChargedPerImageOrByTokens()
    {
        // The channel serves images too.
        QCOMPARE(d().admin("PATCH", QStringLiteral("/channels/") + m_primaryChannel,
                           obj({{QStringLiteral("types"), QJsonArray{QStringLiteral("chat"), QStringLiteral("image")}}})).status, 200);
        const auto route = [this](const QString &upstream) {
            return QJsonArray{obj({{QStringLiteral("channel"), m_primaryChannel}, {QStringLiteral("upstream_model"), upstream}})};
        };
        QCOMPARE(d().admin("POST", QStringLiteral("/models"),
                           obj({{QStringLiteral("id"), QStringLiteral("painter")}, {QStringLiteral("type"), QStringLiteral("image")},
                                {QStringLiteral("pricing"), obj({{QStringLiteral("per_image"), 0.04}})},
                                {QStringLiteral("routes"), route(QStringLiteral("dall-e-3"))}})).status, 201);
        QCOMPARE(d().admin("POST", QStringLiteral("/models"),
                           obj({{QStringLiteral("id"), QStringLiteral("token-painter")}, {QStringLiteral("type"), QStringLiteral("image")},
                                {QStringLiteral("pricing"), obj({{QStringLiteral("input_per_mtok"), 5}, {QStringLiteral("output_per_mtok"), 40}})},
                                {QStringLiteral("routes"), route(QStringLiteral("gpt-image-1"))}})).status, 201);
        const auto images = [this](const QJsonObject &body) {
            return chat(QJsonDocument(body).toJson(QJsonDocument::Compact), {}, QStringLiteral("/v1/images/generations"));
        };

        const auto two = images(obj({{QStringLiteral("model"), QStringLiteral("painter")},
                                     {QStringLiteral("prompt"), QStringLiteral("a red fox in the snow")}, {QStringLiteral("n"), 2}}));
        QCOMPARE(two.status, 200);
        QCOMPARE(two.json().value(QStringLiteral("data")).toArray().size(), 2);
        const FakeRecordedRequest sent = m_primary.requests().last();
        QCOMPARE(sent.path, QStringLiteral("/v1/images/generations"));
        QCOMPARE(QJsonDocument::fromJson(sent.body).object().value(QStringLiteral("model")).toString(), QStringLiteral("dall-e-3"));
        const QJsonObject twoUsage = usageOf(two);
        QCOMPARE(twoUsage.value(QStringLiteral("endpoint")).toString(), QStringLiteral("images"));
        QCOMPARE(twoUsage.value(QStringLiteral("images")).toInt(), 2);
        QCOMPARE(twoUsage.value(QStringLiteral("credits")).toDouble(), 0.08);

        // gpt-image-1 reports tokens: 5 prompt words in, 100 out per image.
        const auto tokens = images(obj({{QStringLiteral("model"), QStringLiteral("token-painter")},
                                        {QStringLiteral("prompt"), QStringLiteral("a red fox in snow")}}));
        QCOMPARE(tokens.status, 200);
        const QJsonObject tokenUsage = usageOf(tokens);
        QCOMPARE(tokenUsage.value(QStringLiteral("prompt_tokens")).toInt(), 5);
        QCOMPARE(tokenUsage.value(QStringLiteral("completion_tokens")).toInt(), 100);
        QCOMPARE(tokenUsage.value(QStringLiteral("estimated")).toBool(), false);
        QCOMPARE(tokenUsage.value(QStringLiteral("credits")).toDouble(), 0.004025);

        // Refused before anything goes upstream, in OpenAI's shape.
        const int sentBefore = m_primary.requestCount();
        const auto noPrompt = images(obj({{QStringLiteral("model"), QStringLiteral("painter")}}));
        QCOMPARE(noPrompt.status, 400);
        QCOMPARE(noPrompt.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(), QStringLiteral("prompt"));
        const auto tooMany = images(obj({{QStringLiteral("model"), QStringLiteral("painter")},
                                         {QStringLiteral("prompt"), QStringLiteral("x")}, {QStringLiteral("n"), 11}}));
        QCOMPARE(tooMany.status, 400);
        QCOMPARE(tooMany.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(), QStringLiteral("n"));
        const auto streamed = images(obj({{QStringLiteral("model"), QStringLiteral("token-painter")},
                                          {QStringLiteral("prompt"), QStringLiteral("x")}, {QStringLiteral("stream"), true}}));
        QCOMPARE(streamed.status, 400);
        QCOMPARE(streamed.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(), QStringLiteral("stream"));
        const auto chatModel = images(obj({{QStringLiteral("model"), QStringLiteral("gpt-test")}, {QStringLiteral("prompt"), QStringLiteral("x")}}));
        QCOMPARE(chatModel.status, 400);
        QCOMPARE(chatModel.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("wrong_model_type"));
        QCOMPARE(m_primary.requestCount(), sentBefore);
    }

    void speechIsRelayedAsAudioAndChargedPerCharacter()
    {
        QCOMPARE(d().admin("PATCH", QStringLiteral("/channels/") + m_primaryChannel,
                           obj({{QStringLiteral("types"), QJsonArray{QStringLiteral("chat"), QStringLiteral("tts")}}})).status, 200);
        QCOMPARE(d().admin("POST", QStringLiteral("/models"),
                           obj({{QStringLiteral("id"), QStringLiteral("voice")}, {QStringLiteral("type"), QStringLiteral("tts")},
                                {QStringLiteral("pricing"), obj({{QStringLiteral("input_per_mtok"), 15}})},
                                {QStringLiteral("routes"), QJsonArray{obj({{QStringLiteral("channel"), m_primaryChannel},
                                                                           {QStringLiteral("upstream_model"), QStringLiteral("tts-1")}})}}})).status,
                 201);
        const QString words = QStringLiteral("Hello there, friend."); // 20 characters
        const auto r = chat(QJsonDocument(obj({{QStringLiteral("model"), QStringLiteral("voice")}, {QStringLiteral("input"), words},
                                               {QStringLiteral("voice"), QStringLiteral("alloy")}}))
                                .toJson(QJsonDocument::Compact),
                            {}, QStringLiteral("/openai/v1/audio/speech"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("audio/mpeg"));
        QVERIFY(r.body.startsWith("ID3"));
        QVERIFY(r.body.endsWith(words.toUtf8()));
        QCOMPARE(QJsonDocument::fromJson(m_primary.requests().last().body).object().value(QStringLiteral("model")).toString(),
                 QStringLiteral("tts-1"));
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(QStringLiteral("endpoint")).toString(), QStringLiteral("speech"));
        QCOMPARE(usage.value(QStringLiteral("credits")).toDouble(), 0.0003); // 20 characters at 15 per million
        QCOMPARE(usage.value(QStringLiteral("response_body")).toString(),
                 QStringLiteral("[audio, %1 bytes]").arg(r.body.size()));

        const auto noVoice = chat(QJsonDocument(obj({{QStringLiteral("model"), QStringLiteral("voice")}, {QStringLiteral("input"), words}}))
                                      .toJson(QJsonDocument::Compact),
                                  {}, QStringLiteral("/v1/audio/speech"));
        QCOMPARE(noVoice.status, 400);
        QCOMPARE(noVoice.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString(), QStringLiteral("voice"));
    }
};

QTEST_GUILESS_MAIN(TestRelay)
#include "tst_relay.moc"
