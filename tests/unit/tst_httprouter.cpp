#include "http/httprouter.h"

#include <QTest>

using namespace gw;

class TestHttpRouter : public QObject
{
    Q_OBJECT

    HttpRouter router;
    int hits = 0;

private Q_SLOTS:
    void initTestCase()
    {
        auto h = [this](const HttpExchangePtr &) { ++hits; };
        router.add("GET", "/v1/models", ApiFamily::OpenAI, PublicScope, h);
        router.add("GET", "/v1/models/{id}", ApiFamily::OpenAI, PublicScope, h);
        router.add("POST", "/v1beta/models/{model}:generateContent", ApiFamily::Gemini, PublicScope, h);
        router.add("POST", "/v1beta/models/{model}:streamGenerateContent", ApiFamily::Gemini, PublicScope, h);
        router.add("GET", "/files/{path...}", ApiFamily::Tasks, PublicScope, h);
        router.add("GET", "/admin/v1/channels/{id}", ApiFamily::Admin, AdminScope, h);
        router.add("PATCH", "/admin/v1/channels/{id}", ApiFamily::Admin, AdminScope, h);
        router.add("GET", "/healthz", ApiFamily::Operations, AnyScope, h);
    }

    void matchesLiteralsAndParameters()
    {
        auto m = router.match("GET", "/v1/models", AnyScope);
        QCOMPARE(m.kind, HttpRouter::Match::Found);
        QCOMPARE(m.route->pattern, QByteArray("/v1/models"));

        m = router.match("GET", "/v1/models/gpt-4o%2Fmini", AnyScope);
        QCOMPARE(m.kind, HttpRouter::Match::Found);
        QCOMPARE(m.params.first().second, QByteArray("gpt-4o/mini"));

        QCOMPARE(router.match("GET", "/v1/models/", AnyScope).route->pattern, QByteArray("/v1/models"));
        QCOMPARE(router.match("GET", "/v1/models/a/b", AnyScope).kind, HttpRouter::Match::NotFound);
        QCOMPARE(router.match("GET", "/v1//models", AnyScope).kind, HttpRouter::Match::NotFound);
    }

    void splitsGeminiVerbsOffOneSegment()
    {
        auto m = router.match("POST", "/v1beta/models/gemini-2.0-flash:generateContent", AnyScope);
        QCOMPARE(m.kind, HttpRouter::Match::Found);
        QCOMPARE(m.route->family, ApiFamily::Gemini);
        QCOMPARE(m.params.first().second, QByteArray("gemini-2.0-flash"));

        m = router.match("POST", "/v1beta/models/tuned:v1:streamGenerateContent", AnyScope);
        QCOMPARE(m.kind, HttpRouter::Match::Found);
        QCOMPARE(m.route->pattern, QByteArray("/v1beta/models/{model}:streamGenerateContent"));
        QCOMPARE(m.params.first().second, QByteArray("tuned:v1"));

        QCOMPARE(router.match("POST", "/v1beta/models/x:unknownVerb", AnyScope).kind, HttpRouter::Match::NotFound);
        QCOMPARE(router.match("POST", "/v1beta/models/:generateContent", AnyScope).kind, HttpRouter::Match::NotFound);
    }

    void takesTheRestOfThePath()
    {
        auto m = router.match("GET", "/files/a/b/c.png", AnyScope);
        QCOMPARE(m.kind, HttpRouter::Match::Found);
        QCOMPARE(m.params.first().second, QByteArray("a/b/c.png"));
    }

    void saysWhichMethodsAreAllowed()
    {
        auto m = router.match("DELETE", "/admin/v1/channels/ch_1", AnyScope);
        QCOMPARE(m.kind, HttpRouter::Match::MethodNotAllowed);
        QVERIFY(m.allowedMethods.contains("GET"));
        QVERIFY(m.allowedMethods.contains("PATCH"));
        QVERIFY(m.allowedMethods.contains("HEAD"));
        // HEAD is served by the GET route.
        QCOMPARE(router.match("HEAD", "/healthz", AnyScope).kind, HttpRouter::Match::Found);
    }

    void keepsAdminRoutesOffThePublicListener()
    {
        QCOMPARE(router.match("GET", "/admin/v1/channels/x", PublicScope).kind, HttpRouter::Match::NotFound);
        QCOMPARE(router.match("GET", "/admin/v1/channels/x", AdminScope).kind, HttpRouter::Match::Found);
        QCOMPARE(router.match("GET", "/v1/models", AdminScope).kind, HttpRouter::Match::NotFound);
        QCOMPARE(router.match("GET", "/healthz", PublicScope).kind, HttpRouter::Match::Found);
        QCOMPARE(router.match("GET", "/healthz", AdminScope).kind, HttpRouter::Match::Found);
    }

    void namesTheFamilyOfUnknownPaths()
    {
        QCOMPARE(apiFamilyForPath("/v1/messages/nope"), ApiFamily::Anthropic);
        QCOMPARE(apiFamilyForPath("/anthropic/v1/x"), ApiFamily::Anthropic);
        QCOMPARE(apiFamilyForPath("/v1beta/whatever"), ApiFamily::Gemini);
        QCOMPARE(apiFamilyForPath("/gemini/v1beta/x"), ApiFamily::Gemini);
        QCOMPARE(apiFamilyForPath("/admin/v1/x"), ApiFamily::Admin);
        QCOMPARE(apiFamilyForPath("/v1/chat/completionz"), ApiFamily::OpenAI);
    }
};

QTEST_GUILESS_MAIN(TestHttpRouter)
#include "tst_httprouter.moc"
