#include "billing/costrulebook.h"
#include "costrulespec.h"
#include "keyblockspec.h"
#include "limits/concurrencylimiter.h"
#include "limits/keyblocklist.h"
#include "limits/ratelimiter.h"
#include "limits/ratelimitrules.h"
#include "ratelimitspec.h"

#include <QJsonDocument>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace gw;

namespace {

LimitSubject subject(LimitScope scope, const QString &target, qint64 rpm, qint64 tpm = 0)
{
    LimitSubject s;
    s.scope = scope;
    s.target = target;
    s.rpm = rpm;
    s.tpm = tpm;
    return s;
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QStringList fields(const FieldErrors &e)
{
    QStringList out;
    for (const auto &entry : e.entries())
        out.append(entry.field);
    return out;
}

KeyBlock block(const QString &id, const QString &keyId, const QString &prefix, const QString &provider)
{
    KeyBlock b;
    b.id = id;
    b.keyId = keyId;
    b.keyPrefix = prefix;
    b.provider = provider;
    return b;
}

CostRule rule(const QString &id, const QString &channel, const QString &pattern, qint64 input = 1)
{
    CostRule r;
    r.id = id;
    r.channelId = channel;
    r.modelPattern = pattern;
    r.pricing.inputPerMtok = input;
    return r;
}

QString matchedPattern(const CostRuleBook &book, const QString &channel, const QString &model)
{
    const auto r = book.match(channel, model);
    return r ? r->modelPattern : QStringLiteral("<none>");
}

} // namespace

class TestLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestsPerMinuteAdmitExactlyTheLimitThenRefuse()
    {
        RateLimiter limiter;
        const QList<LimitSubject> key{subject(LimitScope::Key, QStringLiteral("key_1"), 5)};
        const qint64 t0 = 1'700'000'000'000LL;
        for (int i = 0; i < 5; ++i) {
            const RateDecision d = limiter.admit(key, 0, t0);
            QVERIFY2(d.allowed, qPrintable(QString::number(i)));
            QCOMPARE(d.requestLimit, qint64(5));
            QCOMPARE(d.requestRemaining, qint64(4 - i));
            QVERIFY(!d.limitsTokens());
        }
        RateDecision refused = limiter.admit(key, 0, t0);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.refusedMeasure, RateDecision::Measure::Requests);
        QCOMPARE(refused.refusedScope, LimitScope::Key);
        QCOMPARE(refused.refusedTarget, QStringLiteral("key_1"));
        // One request's worth refills in 60000 / 5 ms.
        QCOMPARE(refused.retryAfterMs, qint64(12000));
        QCOMPARE(refused.requestRemaining, qint64(0));
        QCOMPARE(refused.requestResetMs, qint64(60000));

        refused = limiter.admit(key, 0, t0 + 11999);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterMs, qint64(1));
        QVERIFY(limiter.admit(key, 0, t0 + 12000).allowed);
        QVERIFY(!limiter.admit(key, 0, t0 + 12000).allowed);
        // After a whole minute of quiet the bucket is full again: a burst of 5.
        int admitted = 0;
        for (int i = 0; i < 10; ++i)
            admitted += limiter.admit(key, 0, t0 + 12000 + 60000).allowed ? 1 : 0;
        QCOMPARE(admitted, 5);
    }

    void tokensPerMinuteUseEstimatesAndSettle()
    {
        RateLimiter limiter;
        const QList<LimitSubject> key{subject(LimitScope::Key, QStringLiteral("k"), 0, 1000)};
        const qint64 t0 = 1000;
        RateDecision d = limiter.admit(key, 600, t0);
        QVERIFY(d.allowed);
        QCOMPARE(d.tokenLimit, qint64(1000));
        QCOMPARE(d.tokenRemaining, qint64(400));
        QVERIFY(!d.limitsRequests());

        d = limiter.admit(key, 600, t0);
        QVERIFY(!d.allowed);
        QCOMPARE(d.refusedMeasure, RateDecision::Measure::Tokens);
        QCOMPARE(d.retryAfterMs, qint64(12000));  // 200 tokens at 1000 per minute

        // The call used 100 tokens, not 600: 500 come back.
        limiter.settleTokens(key, 600, 100, t0);
        d = limiter.admit(key, 600, t0);
        QVERIFY(d.allowed);
        QCOMPARE(d.tokenRemaining, qint64(300));

        // This one used 1300: 700 more are charged and the bucket owes 400.
        limiter.settleTokens(key, 600, 1300, t0);
        d = limiter.admit(key, 0, t0);
        QVERIFY(!d.allowed);
        QCOMPARE(d.tokenRemaining, qint64(0));
        QCOMPARE(d.retryAfterMs, qint64(24000));
        QVERIFY(limiter.admit(key, 0, t0 + 24000).allowed);

        // A refund never fills a bucket past its capacity.
        limiter.settleTokens(key, 1'000'000, 0, t0 + 24000);
        d = limiter.admit(key, 0, t0 + 24000);
        QCOMPARE(d.tokenRemaining, qint64(1000));
    }

    void anEstimateLargerThanTheBucketPassesWhenFull()
    {
        RateLimiter limiter;
        const QList<LimitSubject> key{subject(LimitScope::Key, QStringLiteral("k"), 0, 100)};
        QVERIFY(limiter.admit(key, 500, 0).allowed);
        const RateDecision d = limiter.admit(key, 1, 0);
        QVERIFY(!d.allowed);
        QCOMPARE(d.retryAfterMs, qint64(401 * 600));
    }

    void admissionIsAllOrNothingAcrossSubjects()
    {
        RateLimiter limiter;
        const LimitSubject key = subject(LimitScope::Key, QStringLiteral("k"), 10, 1000);
        const LimitSubject global = subject(LimitScope::Global, QString(), 2);
        const QList<LimitSubject> both{key, global};
        QVERIFY(limiter.admit(both, 10, 0).allowed);
        RateDecision d = limiter.admit(both, 10, 0);
        QVERIFY(d.allowed);
        // The tightest subject is the one reported.
        QCOMPARE(d.requestLimit, qint64(2));
        QCOMPARE(d.requestRemaining, qint64(0));
        QCOMPARE(d.tokenRemaining, qint64(980));
        for (int i = 0; i < 5; ++i) {
            d = limiter.admit(both, 10, 0);
            QVERIFY(!d.allowed);
            QCOMPARE(d.refusedScope, LimitScope::Global);
            QCOMPARE(d.refusedMeasure, RateDecision::Measure::Requests);
            QCOMPARE(d.retryAfterMs, qint64(30000));
        }
        // Refusals by the global limit took nothing from the key.
        d = limiter.admit({key}, 10, 0);
        QVERIFY(d.allowed);
        QCOMPARE(d.requestRemaining, qint64(7));
        QCOMPARE(d.tokenRemaining, qint64(970));

        // Tokens: the key refusing leaves the global bucket alone, too.
        const QList<LimitSubject> tokens{subject(LimitScope::Key, QStringLiteral("t"), 0, 100),
                                         subject(LimitScope::User, QStringLiteral("u"), 0, 10000)};
        QVERIFY(limiter.admit(tokens, 100, 0).allowed);
        QVERIFY(!limiter.admit(tokens, 100, 0).allowed);
        d = limiter.admit({tokens.at(1)}, 0, 0);
        QCOMPARE(d.tokenRemaining, qint64(9900));

        // The refusal names whichever subject must wait longest.
        const QList<LimitSubject> two{subject(LimitScope::Key, QStringLiteral("a"), 60),
                                      subject(LimitScope::Project, QStringLiteral("p"), 1)};
        QVERIFY(limiter.admit(two, 0, 0).allowed);
        d = limiter.admit(two, 0, 0);
        QVERIFY(!d.allowed);
        QCOMPARE(d.refusedScope, LimitScope::Project);
        QCOMPARE(d.retryAfterMs, qint64(60000));
    }

    void unlimitedSubjectsTakeNoMemory()
    {
        RateLimiter limiter;
        const RateDecision d = limiter.admit({subject(LimitScope::Key, QStringLiteral("k"), 0, 0)}, 100, 0);
        QVERIFY(d.allowed);
        QVERIFY(!d.limitsRequests());
        QCOMPARE(limiter.size(), size_t(0));
        QVERIFY(limiter.admit({}, 0, 0).allowed);
    }

    void changedLimitsApplyToTheNextRequest()
    {
        RateLimiter limiter;
        for (int i = 0; i < 3; ++i)
            QVERIFY(limiter.admit({subject(LimitScope::User, QStringLiteral("u"), 10)}, 0, 0).allowed);
        // Lowered to 2: already over it, so refused.
        QVERIFY(!limiter.admit({subject(LimitScope::User, QStringLiteral("u"), 2)}, 0, 0).allowed);
        // Raised again: the bucket keeps what it had and refills at the new rate.
        QVERIFY(limiter.admit({subject(LimitScope::User, QStringLiteral("u"), 100)}, 0, 0).allowed);
    }

    void manyThreadsNeverAdmitMoreThanTheLimit()
    {
        RateLimiter limiter;
        const QList<LimitSubject> key{subject(LimitScope::Key, QStringLiteral("hot"), 1000, 0),
                                      subject(LimitScope::Global, QString(), 100000)};
        std::atomic<int> admitted{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&limiter, &key, &admitted, t]() {
                // Other keys at the same time, so that shards are shared and
                // several are locked together.
                const QList<LimitSubject> mine{subject(LimitScope::Key, QStringLiteral("cold-%1").arg(t), 1'000'000),
                                               subject(LimitScope::Global, QString(), 100000)};
                for (int i = 0; i < 2000; ++i) {
                    if (limiter.admit(key, 0, 5000).allowed)
                        admitted.fetch_add(1);
                    limiter.admit(mine, 0, 5000);
                }
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(admitted.load(), 1000);

        // With time moving (and threads' clocks slightly apart), never more
        // than the burst plus what refilled in the meantime.
        RateLimiter moving;
        const QList<LimitSubject> one{subject(LimitScope::Key, QStringLiteral("k"), 600)};
        std::atomic<int> passed{0};
        threads.clear();
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&moving, &one, &passed, t]() {
                for (int i = 0; i < 3000; ++i) {
                    if (moving.admit(one, 0, 1000 + i / 10 + t).allowed)
                        passed.fetch_add(1);
                }
            });
        }
        for (auto &th : threads)
            th.join();
        // At most 307 ms elapsed: 600 + 307 * 600 / 60000 = 603.
        QVERIFY2(passed.load() <= 603, qPrintable(QString::number(passed.load())));
        QVERIFY(passed.load() >= 600);
    }

    void idleEntriesAreEvicted()
    {
        RateLimiter limiter;
        for (int i = 0; i < 20000; ++i)
            QVERIFY(limiter.admit({subject(LimitScope::Key, QStringLiteral("k%1").arg(i), 60)}, 0, 1000).allowed);
        // Each bucket is one request short of full: nothing may be forgotten yet.
        QCOMPARE(limiter.size(), size_t(20000));
        QCOMPARE(limiter.sweep(1000 + 500), size_t(20000));
        // A minute later they are full again, the same as never seen.
        QCOMPARE(limiter.sweep(1000 + 1000), size_t(0));

        // Without explicit sweeps: 50000 subjects over ten minutes, each used
        // once (rpm 1, so a minute to refill). Entries of past minutes go as
        // shards grow or are used a minute later: the table stays within a
        // small multiple of one minute's subjects.
        size_t peak = 0;
        for (int minute = 0; minute < 10; ++minute) {
            for (int i = 0; i < 5000; ++i) {
                const qint64 now = 100000 + minute * 61000 + i;
                limiter.admit({subject(LimitScope::User, QStringLiteral("u%1-%2").arg(minute).arg(i), 1)}, 0, now);
            }
            peak = std::max(peak, limiter.size());
        }
        QVERIFY2(peak <= 15000, qPrintable(QString::number(peak)));
    }

    void concurrencyTicketsReleaseOnDestruction()
    {
        ConcurrencyLimiter limiter;
        const QString key = QStringLiteral("key_1");
        auto a = limiter.tryAcquire(key, 2);
        QVERIFY(a && a->holdsSlot());
        {
            auto b = limiter.tryAcquire(key, 2);
            QVERIFY(b);
            QCOMPARE(limiter.inFlight(key), qint64(2));
            QVERIFY(!limiter.tryAcquire(key, 2));
        }
        QCOMPARE(limiter.inFlight(key), qint64(1));

        // Moving a ticket moves the slot; the moved-from one holds nothing.
        ConcurrencyLimiter::Ticket held = std::move(*a);
        a.reset();
        QCOMPARE(limiter.inFlight(key), qint64(1));
        QVERIFY(held.holdsSlot());
        auto c = limiter.tryAcquire(key, 2);
        QVERIFY(c);
        QVERIFY(!limiter.tryAcquire(key, 2));
        held.release();
        QCOMPARE(limiter.inFlight(key), qint64(1));
        // Assigning over a ticket gives its own slot back first.
        *c = ConcurrencyLimiter::Ticket();
        QCOMPARE(limiter.inFlight(key), qint64(0));
        QCOMPARE(limiter.trackedKeys(), size_t(0));

        // Unlimited: always a ticket, nothing counted.
        auto unlimited = limiter.tryAcquire(key, 0);
        QVERIFY(unlimited && !unlimited->holdsSlot());
        QCOMPARE(limiter.inFlight(key), qint64(0));

        // A ticket may outlive its limiter.
        std::optional<ConcurrencyLimiter::Ticket> late;
        {
            ConcurrencyLimiter shortLived;
            late = shortLived.tryAcquire(key, 1);
            QVERIFY(late);
        }
        late.reset();
    }

    void concurrencyHoldsUnderThreads()
    {
        ConcurrencyLimiter limiter;
        std::atomic<int> inside{0};
        std::atomic<int> worst{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&]() {
                for (int i = 0; i < 5000; ++i) {
                    auto ticket = limiter.tryAcquire(QStringLiteral("k"), 3);
                    if (!ticket)
                        continue;
                    const int now = inside.fetch_add(1) + 1;
                    int seen = worst.load();
                    while (now > seen && !worst.compare_exchange_weak(seen, now)) {
                    }
                    inside.fetch_sub(1);
                }
            });
        }
        for (auto &th : threads)
            th.join();
        QVERIFY(worst.load() <= 3);
        QCOMPARE(limiter.inFlight(QStringLiteral("k")), qint64(0));
    }

    void ruleSnapshotsMergeIntoSubjects()
    {
        RateLimitRules rules;
        QVERIFY(!rules.subjectFor(LimitScope::Key, QStringLiteral("k")));
        RateLimitRule r;
        r.id = QStringLiteral("rl_1");
        r.scope = LimitScope::Key;
        r.target = QStringLiteral("k");
        r.rpm = 60;
        RateLimitRule g;
        g.id = QStringLiteral("rl_2");
        g.scope = LimitScope::Global;
        g.tpm = 5000;
        rules.replaceAll({r, g});

        auto s = rules.subjectFor(LimitScope::Key, QStringLiteral("k"), 30, 1000);
        QVERIFY(s);
        QCOMPARE(s->rpm, qint64(30));   // the key's own limit is tighter
        QCOMPARE(s->tpm, qint64(1000));
        s = rules.subjectFor(LimitScope::Key, QStringLiteral("k"), 100);
        QCOMPARE(s->rpm, qint64(60));
        QCOMPARE(rules.rulesFor(LimitScope::Global, QStringLiteral("ignored")).size(), 1);
        s = rules.subjectFor(LimitScope::Global, QString());
        QVERIFY(s);
        QCOMPARE(s->tpm, qint64(5000));
        QCOMPARE(s->rpm, qint64(0));
        QVERIFY(!rules.subjectFor(LimitScope::User, QStringLiteral("k")));

        QList<LimitSubject> subjects;
        rules.appendSubject(subjects, LimitScope::Key, QStringLiteral("k"));
        rules.appendSubject(subjects, LimitScope::User, QStringLiteral("u"));
        rules.appendSubject(subjects, LimitScope::Global, QString());
        QCOMPARE(subjects.size(), 2);

        // A late, older change loses to a newer one.
        rules.remove(QStringLiteral("rl_1"), 5);
        rules.upsert(r, 4);
        QVERIFY(rules.rulesFor(LimitScope::Key, QStringLiteral("k")).isEmpty());
        QVERIFY(!rules.byId(QStringLiteral("rl_1")));
        rules.upsert(r, 6);
        QCOMPARE(rules.rulesFor(LimitScope::Key, QStringLiteral("k")).size(), 1);
        QCOMPARE(rules.all().size(), 2);
    }

    void blocksMatchByIdPrefixAndProvider()
    {
        KeyBlockList blocks;
        const QByteArray key = "sk-abcdef0123456789";
        QVERIFY(!blocks.find(QStringLiteral("key_1"), key));
        blocks.replaceAll({block(QStringLiteral("blk_1"), QStringLiteral("key_1"), QString(), QStringLiteral("*")),
                           block(QStringLiteral("blk_2"), QString(), QStringLiteral("sk-abcd"), QStringLiteral("openai")),
                           block(QStringLiteral("blk_3"), QStringLiteral("key_3"), QString(), QStringLiteral("anthropic"))});

        // By id, everywhere.
        auto found = blocks.find(QStringLiteral("key_1"), "sk-zzzzzzzz");
        QVERIFY(found);
        QCOMPARE(found->id, QStringLiteral("blk_1"));
        QVERIFY(blocks.blocksProvider(QStringLiteral("key_1"), "sk-zzzzzzzz", u"gemini"));

        // By prefix, for one provider: not at admission, only at routing.
        QVERIFY(!blocks.find(QStringLiteral("key_2"), key));
        QCOMPARE(blocks.find(QStringLiteral("key_2"), key, u"openai")->id, QStringLiteral("blk_2"));
        QVERIFY(blocks.blocksProvider(QStringLiteral("key_2"), key, u"openai"));
        QVERIFY(!blocks.blocksProvider(QStringLiteral("key_2"), key, u"anthropic"));
        QVERIFY(!blocks.blocksProvider(QStringLiteral("key_2"), "sk-abcXef", u"openai"));
        QVERIFY(!blocks.blocksProvider(QStringLiteral("key_2"), "sk-ab", u"openai"));

        // By id, for one provider.
        QVERIFY(!blocks.find(QStringLiteral("key_3"), "sk-x"));
        QVERIFY(blocks.blocksProvider(QStringLiteral("key_3"), "sk-x", u"anthropic"));
        QVERIFY(!blocks.blocksProvider(QStringLiteral("key_3"), "sk-x", u"openai"));

        // A "*" prefix block of another length; the oldest block is reported.
        blocks.upsert(block(QStringLiteral("blk_0"), QString(), QStringLiteral("sk-abcdef01"), QStringLiteral("*")));
        found = blocks.find(QStringLiteral("key_1"), key);
        QCOMPARE(found->id, QStringLiteral("blk_0"));
        QCOMPARE(blocks.find(QStringLiteral("key_9"), key)->id, QStringLiteral("blk_0"));

        blocks.remove(QStringLiteral("blk_0"));
        blocks.remove(QStringLiteral("blk_1"));
        QVERIFY(!blocks.find(QStringLiteral("key_1"), key));
        QCOMPARE(blocks.all().size(), 2);
        // An older upsert arriving after the removal does not bring it back.
        blocks.remove(QStringLiteral("blk_2"), 10);
        blocks.upsert(block(QStringLiteral("blk_2"), QString(), QStringLiteral("sk-abcd"), QStringLiteral("openai")), 9);
        QVERIFY(!blocks.blocksProvider(QStringLiteral("key_2"), key, u"openai"));
    }

    void costRulesPreferTheMostSpecificPattern()
    {
        QVERIFY(CostRuleBook::patternMatches(u"*", u""));
        QVERIFY(CostRuleBook::patternMatches(u"*", u"anything"));
        QVERIFY(CostRuleBook::patternMatches(u"gpt-*", u"gpt-4o"));
        QVERIFY(!CostRuleBook::patternMatches(u"gpt-*", u"chatgpt-4o"));
        QVERIFY(CostRuleBook::patternMatches(u"*-mini", u"gpt-4o-mini"));
        QVERIFY(!CostRuleBook::patternMatches(u"*-mini", u"gpt-4o-mini-2024"));
        QVERIFY(CostRuleBook::patternMatches(u"a*b*c", u"aXXbYYc"));
        QVERIFY(CostRuleBook::patternMatches(u"a*b*c", u"abc"));
        QVERIFY(!CostRuleBook::patternMatches(u"a*b*c", u"acb"));
        QVERIFY(CostRuleBook::patternMatches(u"*a", u"aaa"));
        QVERIFY(!CostRuleBook::patternMatches(u"a*a", u"a"));
        QVERIFY(!CostRuleBook::patternMatches(u"ab", u"abc"));
        QVERIFY(!CostRuleBook::patternMatches(u"GPT-*", u"gpt-4o"));

        CostRuleBook book;
        book.replaceAll({rule(QStringLiteral("cr_1"), QStringLiteral("ch_a"), QStringLiteral("*")),
                         rule(QStringLiteral("cr_2"), QStringLiteral("ch_a"), QStringLiteral("gpt-*")),
                         rule(QStringLiteral("cr_3"), QStringLiteral("ch_a"), QStringLiteral("gpt-4o-*")),
                         rule(QStringLiteral("cr_4"), QStringLiteral("ch_a"), QStringLiteral("gpt-4o-mini")),
                         rule(QStringLiteral("cr_5"), QStringLiteral("ch_a"), QStringLiteral("*-mini")),
                         rule(QStringLiteral("cr_6"), QStringLiteral("ch_a"), QStringLiteral("gpt-*-mini")),
                         rule(QStringLiteral("cr_7"), QStringLiteral("ch_b"), QStringLiteral("claude-*"))});
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_a"), QStringLiteral("gpt-4o-mini")), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_a"), QStringLiteral("gpt-4o-2024")), QStringLiteral("gpt-4o-*"));
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_a"), QStringLiteral("gpt-3.5-mini")), QStringLiteral("gpt-*-mini"));
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_a"), QStringLiteral("gpt-3.5")), QStringLiteral("gpt-*"));
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_a"), QStringLiteral("o1-mini")), QStringLiteral("*-mini"));
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_a"), QStringLiteral("llama")), QStringLiteral("*"));
        // Rules are per channel.
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_b"), QStringLiteral("gpt-4o")), QStringLiteral("<none>"));
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_b"), QStringLiteral("claude-3")), QStringLiteral("claude-*"));
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_c"), QStringLiteral("gpt-4o")), QStringLiteral("<none>"));

        book.remove(QStringLiteral("cr_4"));
        QCOMPARE(matchedPattern(book, QStringLiteral("ch_a"), QStringLiteral("gpt-4o-mini")), QStringLiteral("gpt-4o-*"));
        CostRule changed = rule(QStringLiteral("cr_3"), QStringLiteral("ch_a"), QStringLiteral("gpt-4o-*"), 777);
        book.upsert(changed);
        QCOMPARE(book.match(QStringLiteral("ch_a"), QStringLiteral("gpt-4o-mini"))->pricing.inputPerMtok, qint64(777));
        QCOMPARE(book.rulesFor(QStringLiteral("ch_a")).first().modelPattern, QStringLiteral("gpt-4o-*"));

        // Equally specific: the older rule, never hash order.
        for (bool swapped : {false, true}) {
            CostRuleBook tie;
            const QString first = swapped ? QStringLiteral("a*c") : QStringLiteral("a*b*");
            const QString second = swapped ? QStringLiteral("a*b*") : QStringLiteral("a*c");
            tie.replaceAll({rule(QStringLiteral("cr_9"), QStringLiteral("c"), second),
                            rule(QStringLiteral("cr_8"), QStringLiteral("c"), first)});
            QCOMPARE(tie.match(QStringLiteral("c"), QStringLiteral("abc"))->id, QStringLiteral("cr_8"));
        }
    }

    void snapshotsAreReadWhileTheyChange()
    {
        RateLimitRules rules;
        KeyBlockList blocks;
        CostRuleBook book;
        std::atomic<bool> stop{false};
        std::atomic<int> reads{0};
        std::vector<std::thread> readers;
        for (int t = 0; t < 4; ++t) {
            readers.emplace_back([&]() {
                while (!stop.load()) {
                    const auto s = rules.subjectFor(LimitScope::Key, QStringLiteral("k"));
                    QVERIFY(!s || s->rpm > 0);
                    blocks.find(QStringLiteral("key_1"), "sk-abcdef0123");
                    blocks.blocksProvider(QStringLiteral("key_2"), "sk-abcdef0123", u"openai");
                    book.match(QStringLiteral("ch"), QStringLiteral("gpt-4o"));
                    reads.fetch_add(1);
                }
            });
        }
        for (int i = 1; i <= 500; ++i) {
            RateLimitRule r;
            r.id = QStringLiteral("rl_%1").arg(i % 7);
            r.scope = LimitScope::Key;
            r.target = QStringLiteral("k");
            r.rpm = i;
            rules.upsert(r, quint64(i));
            blocks.upsert(block(QStringLiteral("blk_%1").arg(i % 5), QStringLiteral("key_1"), QStringLiteral("sk-abc%1").arg(i % 3),
                                QStringLiteral("*")), quint64(i));
            book.upsert(rule(QStringLiteral("cr_%1").arg(i % 4), QStringLiteral("ch"), QStringLiteral("gpt-*"), i), quint64(i));
            if (i % 3 == 0) {
                rules.remove(QStringLiteral("rl_%1").arg(i % 7), quint64(i));
                blocks.remove(QStringLiteral("blk_%1").arg(i % 5), quint64(i));
                book.remove(QStringLiteral("cr_%1").arg(i % 4), quint64(i));
            }
        }
        while (reads.load() < 1000)
            std::this_thread::yield();
        stop.store(true);
        for (auto &th : readers)
            th.join();
    }

    void rateLimitSpecErrorsNameTheirFields()
    {
        FieldErrors ok;
        auto s = RateLimitSpec::fromJson(json("{\"scope\": \"key\", \"target\": \"key_1\", \"rpm\": 60, \"tpm\": 100000}"), ok);
        QVERIFY2(ok.isEmpty(), qPrintable(ok.summary()));
        QCOMPARE(*s.rpm, qint64(60));
        FieldErrors global;
        s = RateLimitSpec::fromJson(json("{\"scope\": \"global\", \"tpm\": 5}"), global);
        QVERIFY2(global.isEmpty(), qPrintable(global.summary()));
        QVERIFY(!s.target);

        const struct
        {
            const char *body;
            const char *field;
        } cases[] = {
            {"{\"rpm\": 5}", "scope"},
            {"{\"scope\": \"team\", \"rpm\": 5}", "scope"},
            {"{\"scope\": \"key\", \"rpm\": 5}", "target"},
            {"{\"scope\": \"user\", \"target\": \"  \", \"rpm\": 5}", "target"},
            {"{\"scope\": \"global\", \"target\": \"x\", \"rpm\": 5}", "target"},
            {"{\"scope\": \"key\", \"target\": 7, \"rpm\": 5}", "target"},
            {"{\"scope\": \"key\", \"target\": \"k\", \"rpm\": -1}", "rpm"},
            {"{\"scope\": \"key\", \"target\": \"k\", \"rpm\": 1.5}", "rpm"},
            {"{\"scope\": \"key\", \"target\": \"k\", \"rpm\": 0, \"tpm\": 0}", "rpm"},
            {"{\"scope\": \"key\", \"target\": \"k\"}", "rpm"},
            {"{\"scope\": \"key\", \"target\": \"k\", \"tpm\": \"many\"}", "tpm"},
        };
        for (const auto &c : cases) {
            FieldErrors e;
            RateLimitSpec::fromJson(json(c.body), e);
            QVERIFY2(fields(e) == QStringList{QLatin1String(c.field)},
                     qPrintable(QLatin1String(c.body) + QStringLiteral(" -> ") + fields(e).join(QLatin1Char(','))));
        }
    }

    void keyBlockSpecErrorsNameTheirFields()
    {
        FieldErrors ok;
        auto s = KeyBlockSpec::fromJson(json("{\"key_id\": \"key_1\", \"reason\": \"abuse\"}"), ok);
        QVERIFY2(ok.isEmpty(), qPrintable(ok.summary()));
        QCOMPARE(s.provider, QStringLiteral("*"));
        QCOMPARE(s.reason, QStringLiteral("abuse"));
        FieldErrors prefixOk;
        s = KeyBlockSpec::fromJson(json("{\"key_prefix\": \"sk-abc\", \"provider\": \"openai\"}"), prefixOk);
        QVERIFY2(prefixOk.isEmpty(), qPrintable(prefixOk.summary()));
        QCOMPARE(*s.keyPrefix, QStringLiteral("sk-abc"));

        const struct
        {
            const char *body;
            const char *field;
        } cases[] = {
            {"{}", "key_id"},
            {"{\"reason\": \"x\"}", "key_id"},
            {"{\"key_id\": \"key_1\", \"key_prefix\": \"sk-abcdef\"}", "key_prefix"},
            {"{\"key_prefix\": \"pk-abcdef\"}", "key_prefix"},
            {"{\"key_prefix\": \"sk-ab\"}", "key_prefix"},
            {"{\"key_prefix\": \"sk-ab cd\"}", "key_prefix"},
            {"{\"key_id\": \"key_1\", \"provider\": \"Open AI\"}", "provider"},
            {"{\"key_id\": 5}", "key_id"},
            {"{\"key_id\": \"key_1\", \"reason\": 5}", "reason"},
        };
        for (const auto &c : cases) {
            FieldErrors e;
            KeyBlockSpec::fromJson(json(c.body), e);
            QVERIFY2(fields(e) == QStringList{QLatin1String(c.field)},
                     qPrintable(QLatin1String(c.body) + QStringLiteral(" -> ") + fields(e).join(QLatin1Char(','))));
        }
    }

    void costRuleSpecReadsExactPricesAndNamesFields()
    {
        FieldErrors ok;
        const auto s = CostRuleSpec::fromJson(
            json("{\"channel\": \"ch_1\", \"model_pattern\": \"gpt-*\", \"input_per_mtok\": 0.1, \"output_per_mtok\": 0.4, \"per_request\": 0}"),
            CostRuleSpec::Mode::Create, ok);
        QVERIFY2(ok.isEmpty(), qPrintable(ok.summary()));
        const ModelPricing p = s.applyPricing(ModelPricing());
        QCOMPARE(p.inputPerMtok, qint64(100000));
        QCOMPARE(p.outputPerMtok, qint64(400000));
        QCOMPARE(p.perRequest, qint64(0));
        QCOMPARE(s.toJson().value(QStringLiteral("input_per_mtok")).toDouble(), 0.1);

        FieldErrors missing;
        CostRuleSpec::fromJson(QJsonObject(), CostRuleSpec::Mode::Create, missing);
        QCOMPARE(fields(missing), (QStringList{QStringLiteral("channel"), QStringLiteral("model_pattern"),
                                               QStringLiteral("input_per_mtok"), QStringLiteral("output_per_mtok")}));

        FieldErrors bad;
        CostRuleSpec::fromJson(json("{\"model_pattern\": \"gpt 4\", \"input_per_mtok\": 0.0000001, \"per_image\": -1, \"per_second\": \"x\"}"),
                               CostRuleSpec::Mode::Patch, bad);
        QCOMPARE(fields(bad), (QStringList{QStringLiteral("model_pattern"), QStringLiteral("input_per_mtok"),
                                           QStringLiteral("per_image"), QStringLiteral("per_second")}));

        // A PATCH keeps what it does not name.
        FieldErrors patchOk;
        const auto patch = CostRuleSpec::fromJson(json("{\"output_per_mtok\": 2}"), CostRuleSpec::Mode::Patch, patchOk);
        QVERIFY(patchOk.isEmpty());
        ModelPricing base;
        base.inputPerMtok = 5;
        const ModelPricing merged = patch.applyPricing(base);
        QCOMPARE(merged.inputPerMtok, qint64(5));
        QCOMPARE(merged.outputPerMtok, qint64(2000000));
    }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
