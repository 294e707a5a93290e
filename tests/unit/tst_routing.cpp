#include "http/httprequest.h"
#include "relay/channelendpoint.h"
#include "routing/channelhealth.h"
#include "routing/channelhealthregistry.h"
#include "routing/routeplanner.h"

#include <QHash>
#include <QSet>
#include <QTest>

using namespace gw;

namespace {

ChannelInfo channel(const QString &id, int priority, int weight, bool enabled = true)
{
    ChannelInfo c;
    c.id = id;
    c.name = id;
    c.provider = QStringLiteral("openai");
    c.baseUrl = QStringLiteral("http://127.0.0.1:9");
    c.priority = priority;
    c.weight = weight;
    c.enabled = enabled;
    return c;
}

ModelInfo model(const QString &id, const QStringList &channels, const QStringList &fallbacks = {})
{
    ModelInfo m;
    m.id = id;
    m.type = QStringLiteral("chat");
    for (const QString &c : channels)
        m.routes.append(ModelRoute{c, id + QStringLiteral("-up"), std::nullopt, std::nullopt});
    m.fallback.models = fallbacks;
    return m;
}

QStringList ids(const RoutePlanner::Plan &plan)
{
    QStringList out;
    for (const auto &c : plan.candidates)
        out.append(c.channel->id);
    return out;
}

} // namespace

class TestRouting : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void breakerOpensAfterConsecutiveFailures()
    {
        BreakerPolicy p;
        p.consecutiveFailures = 3;
        p.cooldownMs = 1000;
        ChannelHealth h(p);
        qint64 now = 1000;
        for (int i = 0; i < 2; ++i)
            h.recordFailure(FailureClass::Server, now);
        QCOMPARE(h.state(now), ChannelHealth::State::Closed);
        QVERIFY(h.isAvailable(now));
        h.recordFailure(FailureClass::Timeout, now);
        QCOMPARE(h.state(now), ChannelHealth::State::Open);
        QVERIFY(!h.isAvailable(now + 999));
        QVERIFY(!h.tryAcquire(now + 999));
        // After the cool-down one probe goes through, and only one.
        QCOMPARE(h.state(now + 1000), ChannelHealth::State::HalfOpen);
        QVERIFY(h.tryAcquire(now + 1000));
        QVERIFY(!h.tryAcquire(now + 1001));
        // A failed probe opens it again for twice as long.
        h.recordFailure(FailureClass::Connect, now + 1100);
        QCOMPARE(h.state(now + 2000), ChannelHealth::State::Open);
        QCOMPARE(h.state(now + 3100), ChannelHealth::State::HalfOpen);
        QVERIFY(h.tryAcquire(now + 3100));
        h.recordSuccess(now + 3200);
        QCOMPARE(h.state(now + 3200), ChannelHealth::State::Closed);
        QVERIFY(h.tryAcquire(now + 3200));
        QVERIFY(h.tryAcquire(now + 3200)); // closed: no single-probe limit
    }

    void breakerOpensOnAFailureRatio()
    {
        BreakerPolicy p;
        p.consecutiveFailures = 100;
        p.windowSize = 10;
        p.minimumSamples = 10;
        p.failureRatio = 0.5;
        ChannelHealth h(p);
        for (int i = 0; i < 9; ++i) {
            if (i % 2)
                h.recordFailure(FailureClass::Server, 0);
            else
                h.recordSuccess(0);
        }
        QCOMPARE(h.state(0), ChannelHealth::State::Closed); // 4 of 9, and too few samples
        h.recordFailure(FailureClass::Server, 0);
        QCOMPARE(h.state(0), ChannelHealth::State::Open);   // 5 of 10
    }

    void callerErrorsAndRateLimitsDoNotTripTheBreaker()
    {
        BreakerPolicy p;
        p.consecutiveFailures = 2;
        ChannelHealth h(p);
        for (int i = 0; i < 10; ++i)
            h.recordFailure(FailureClass::Client, 0);
        QCOMPARE(h.state(0), ChannelHealth::State::Closed);
        h.recordRateLimited(1000, 5000);
        QCOMPARE(h.state(1000), ChannelHealth::State::Closed);
        QVERIFY(!h.isAvailable(5999));
        QVERIFY(h.isAvailable(6000));
        h.recordRateLimited(10000, 0); // no Retry-After: a short default pause
        QVERIFY(!h.isAvailable(10000 + p.defaultRetryAfterMs - 1));
        QVERIFY(h.isAvailable(10000 + p.defaultRetryAfterMs));
    }

    void planOrdersByPriorityThenFallbacks()
    {
        Catalog catalog(1, {channel(QStringLiteral("low"), 1, 1), channel(QStringLiteral("high"), 10, 1),
                            channel(QStringLiteral("off"), 50, 1, false), channel(QStringLiteral("fb"), 5, 1)},
                        {model(QStringLiteral("m"), {QStringLiteral("low"), QStringLiteral("high"), QStringLiteral("off")},
                               {QStringLiteral("other"), QStringLiteral("forbidden")}),
                         model(QStringLiteral("other"), {QStringLiteral("fb")}),
                         model(QStringLiteral("forbidden"), {QStringLiteral("fb")})});
        ChannelHealthRegistry health;
        std::mt19937_64 rng(7);
        const auto plan = RoutePlanner::plan(catalog, *catalog.model(QStringLiteral("m")),
                                             [](const QString &id) { return id != QLatin1String("forbidden"); }, health, rng, 0);
        QCOMPARE(ids(plan), (QStringList{QStringLiteral("high"), QStringLiteral("low"), QStringLiteral("fb")}));
        QCOMPARE(plan.skippedUnusable, 1);
        QVERIFY(plan.candidates.at(2).isFallback);
        QCOMPARE(plan.candidates.at(2).modelId, QStringLiteral("other"));
        QCOMPARE(plan.candidates.at(0).upstreamModel, QStringLiteral("m-up"));
    }

    void planLeavesOutOpenBreakers()
    {
        Catalog catalog(1, {channel(QStringLiteral("a"), 1, 1), channel(QStringLiteral("b"), 1, 1)},
                        {model(QStringLiteral("m"), {QStringLiteral("a"), QStringLiteral("b")})});
        BreakerPolicy p;
        p.consecutiveFailures = 1;
        ChannelHealthRegistry health(p);
        health.of(QStringLiteral("a"))->recordFailure(FailureClass::Connect, 0);
        std::mt19937_64 rng(1);
        const auto plan = RoutePlanner::plan(catalog, *catalog.model(QStringLiteral("m")), {}, health, rng, 10);
        QCOMPARE(ids(plan), QStringList{QStringLiteral("b")});
        QCOMPARE(plan.skippedUnhealthy, 1);
    }

    void weightsSplitTrafficInProportion()
    {
        Catalog catalog(1, {channel(QStringLiteral("heavy"), 1, 3), channel(QStringLiteral("light"), 1, 1),
                            channel(QStringLiteral("standby"), 1, 0)},
                        {model(QStringLiteral("m"), {QStringLiteral("heavy"), QStringLiteral("light"), QStringLiteral("standby")})});
        ChannelHealthRegistry health;
        std::mt19937_64 rng(42); // fixed seed: the same run every time
        QHash<QString, int> first;
        const int runs = 20000;
        for (int i = 0; i < runs; ++i) {
            const auto plan = RoutePlanner::plan(catalog, *catalog.model(QStringLiteral("m")), {}, health, rng, 0);
            ++first[plan.candidates.first().channel->id];
            QCOMPARE(plan.candidates.last().channel->id, QStringLiteral("standby"));
        }
        const double heavyShare = double(first.value(QStringLiteral("heavy"))) / runs;
        QVERIFY2(heavyShare > 0.73 && heavyShare < 0.77, qPrintable(QString::number(heavyShare)));
        QCOMPARE(first.value(QStringLiteral("standby")), 0);
    }

    // Later picks draw from what is left in proportion to weight, as a
    // weighted shuffle orders a group: after "heavy" (3 of 6), "light" (1)
    // comes next one time in three, "mid" (2) two in three.
    void laterPicksFollowTheRemainingWeights()
    {
        Catalog catalog(1, {channel(QStringLiteral("heavy"), 1, 3), channel(QStringLiteral("mid"), 1, 2),
                            channel(QStringLiteral("light"), 1, 1)},
                        {model(QStringLiteral("m"), {QStringLiteral("heavy"), QStringLiteral("mid"), QStringLiteral("light")})});
        ChannelHealthRegistry health;
        std::mt19937_64 rng(99);
        int heavyFirst = 0;
        int lightSecond = 0;
        for (int i = 0; i < 30000; ++i) {
            const auto plan = RoutePlanner::plan(catalog, *catalog.model(QStringLiteral("m")), {}, health, rng, 0);
            QCOMPARE(plan.candidates.size(), 3);
            if (plan.candidates.at(0).channel->id != QLatin1String("heavy"))
                continue;
            ++heavyFirst;
            lightSecond += plan.candidates.at(1).channel->id == QLatin1String("light") ? 1 : 0;
        }
        const double firstShare = heavyFirst / 30000.0;
        const double share = double(lightSecond) / heavyFirst;
        QVERIFY2(firstShare > 0.48 && firstShare < 0.52, qPrintable(QString::number(firstShare)));
        QVERIFY2(share > 0.31 && share < 0.36, qPrintable(QString::number(share)));
    }

    // A model of many routes hands each usable one out exactly once, higher
    // priorities first; the lazy planner passes over unusable routes only
    // when their turn comes, and counts them then.
    void manyRoutesAreEachHandedOutOnce()
    {
        QList<ChannelInfo> channels;
        QStringList routeIds;
        for (int i = 0; i < 250; ++i) {
            const QString id = QStringLiteral("c%1").arg(i, 3, 10, QLatin1Char('0'));
            channels.append(channel(id, i % 3, 1 + i % 5, i % 50 != 7));
            routeIds << id;
        }
        routeIds << QStringLiteral("missing");
        Catalog catalog(1, channels, {model(QStringLiteral("m"), routeIds)});
        ChannelHealthRegistry health;
        std::mt19937_64 rng(5);
        RoutePlanner planner(catalog, *catalog.model(QStringLiteral("m")), {}, health, rng);
        const auto first = planner.next(0);
        QVERIFY(first);
        QCOMPARE(first->priority, 2);
        QStringList seen{first->channel->id};
        int lastPriority = first->priority;
        while (const auto c = planner.next(0)) {
            QVERIFY(c->priority <= lastPriority);
            lastPriority = c->priority;
            seen << c->channel->id;
        }
        QCOMPARE(planner.handedOut(), 245);
        QCOMPARE(planner.skippedUnusable(), 6); // five disabled, one missing
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), 245);
        QVERIFY(!planner.next(0));
    }

    // A model that is not part of a snapshot (a dry run) is planned too.
    void aModelOutsideTheSnapshotIsPlanned()
    {
        Catalog catalog(1, {channel(QStringLiteral("a"), 1, 1), channel(QStringLiteral("b"), 2, 1)}, {});
        const ModelInfo draft = model(QStringLiteral("draft"), {QStringLiteral("a"), QStringLiteral("b")});
        QVERIFY(!draft.routeTable);
        ChannelHealthRegistry health;
        std::mt19937_64 rng(3);
        const auto plan = RoutePlanner::plan(catalog, draft, {}, health, rng, 0);
        QCOMPARE(ids(plan), (QStringList{QStringLiteral("b"), QStringLiteral("a")}));
        QCOMPARE(plan.candidates.at(0).upstreamModel, QStringLiteral("draft-up"));
    }

    void channelUrlsAddTheVersionOnce()
    {
        ChannelInfo c = channel(QStringLiteral("x"), 0, 1);
        RelayRequest chat;
        RelayRequest embeddings;
        embeddings.operation = RelayOperation::Embeddings;
        const QString model = QStringLiteral("up");
        c.baseUrl = QStringLiteral("https://api.openai.com");
        QCOMPARE(ChannelEndpoint::url(c, ApiFamily::OpenAI, chat, model), QByteArray("https://api.openai.com/v1/chat/completions"));
        c.baseUrl = QStringLiteral("https://openrouter.ai/api/v1/");
        QCOMPARE(ChannelEndpoint::url(c, ApiFamily::OpenAI, chat, model), QByteArray("https://openrouter.ai/api/v1/chat/completions"));
        c.baseUrl = QStringLiteral("https://example.com/openai/v2");
        QCOMPARE(ChannelEndpoint::url(c, ApiFamily::OpenAI, embeddings, model), QByteArray("https://example.com/openai/v2/embeddings"));
        c.secret = "sk-upstream";
        c.config.insert(QStringLiteral("headers"), QJsonObject{{QStringLiteral("OpenAI-Organization"), QStringLiteral("org-1")}});
        HttpRequest caller;
        const auto headers = ChannelEndpoint::headers(c, ApiFamily::OpenAI, true, "req_1", caller, ApiFamily::OpenAI);
        QVERIFY(headers.contains(QPair<QByteArray, QByteArray>("authorization", "Bearer sk-upstream")));
        QVERIFY(headers.contains(QPair<QByteArray, QByteArray>("openai-organization", "org-1")));
        QVERIFY(headers.contains(QPair<QByteArray, QByteArray>("accept", "text/event-stream")));
    }

    void anthropicAndGeminiChannelsGetTheirOwnUrlsAndHeaders()
    {
        ChannelInfo c = channel(QStringLiteral("x"), 0, 1);
        c.secret = "sk-upstream";
        RelayRequest chat;
        c.baseUrl = QStringLiteral("https://api.anthropic.com");
        QCOMPARE(ChannelEndpoint::url(c, ApiFamily::Anthropic, chat, QStringLiteral("claude")),
                 QByteArray("https://api.anthropic.com/v1/messages"));
        HttpRequest caller;
        caller.headers.append(qMakePair(QByteArray("anthropic-version"), QByteArray("2026-01-01")));
        caller.headers.append(qMakePair(QByteArray("anthropic-beta"), QByteArray("b1")));
        auto headers = ChannelEndpoint::headers(c, ApiFamily::Anthropic, false, "req_1", caller, ApiFamily::Anthropic);
        QVERIFY(headers.contains(QPair<QByteArray, QByteArray>("x-api-key", "sk-upstream")));
        QVERIFY(headers.contains(QPair<QByteArray, QByteArray>("anthropic-version", "2026-01-01")));
        QVERIFY(headers.contains(QPair<QByteArray, QByteArray>("anthropic-beta", "b1")));
        QVERIFY(!headers.contains(QPair<QByteArray, QByteArray>("authorization", "Bearer sk-upstream")));
        // Another family's caller: the stable version, none of its headers.
        headers = ChannelEndpoint::headers(c, ApiFamily::Anthropic, false, "req_1", caller, ApiFamily::OpenAI);
        QVERIFY(headers.contains(QPair<QByteArray, QByteArray>("anthropic-version", "2023-06-01")));
        QVERIFY(!headers.contains(QPair<QByteArray, QByteArray>("anthropic-beta", "b1")));

        c.baseUrl = QStringLiteral("https://generativelanguage.googleapis.com/");
        QCOMPARE(ChannelEndpoint::url(c, ApiFamily::Gemini, chat, QStringLiteral("models/gemini-2.5-flash")),
                 QByteArray("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"));
        chat.stream = true;
        QCOMPARE(ChannelEndpoint::url(c, ApiFamily::Gemini, chat, QStringLiteral("gemini 2")),
                 QByteArray("https://generativelanguage.googleapis.com/v1beta/models/gemini%202:streamGenerateContent?alt=sse"));
        RelayRequest batch;
        batch.operation = RelayOperation::Embeddings;
        batch.batchEmbeddings = true;
        QCOMPARE(ChannelEndpoint::url(c, ApiFamily::Gemini, batch, QStringLiteral("e")),
                 QByteArray("https://generativelanguage.googleapis.com/v1beta/models/e:batchEmbedContents"));
        headers = ChannelEndpoint::headers(c, ApiFamily::Gemini, true, "req_1", caller, ApiFamily::Gemini);
        QVERIFY(headers.contains(QPair<QByteArray, QByteArray>("x-goog-api-key", "sk-upstream")));
        c.provider = QStringLiteral("kie");
        QVERIFY(!ChannelEndpoint::familyOf(c));
    }
};

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
