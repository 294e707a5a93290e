#include "apikeyspec.h"
#include "channelspec.h"
#include "creditgrantspec.h"
#include "modelspec.h"
#include "userspec.h"

#include <QJsonDocument>
#include <QTest>

using namespace gw;

namespace {

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

} // namespace

class TestAdminSpecs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void channelMinimalBodyIsValid()
    {
        FieldErrors e;
        const auto s = ChannelSpec::fromJson(json("{\"name\": \"openai-main\", \"provider\": \"openai\", \"base_url\": \"https://api.openai.com\", \"secret\": \"sk-x\", \"types\": [\"chat\", \"embeddings\"], \"priority\": 10, \"weight\": 1}"), ChannelSpec::Mode::Create, e);
        QVERIFY2(e.isEmpty(), qPrintable(e.summary()));
        QCOMPARE(*s.priority, qint64(10));
        QCOMPARE(s.types->size(), 2);
    }

    void channelErrorsNameTheirFields()
    {
        FieldErrors e;
        ChannelSpec::fromJson(json("{\"provider\": \"Open AI\", \"base_url\": \"ftp://x\", \"secret\": \"a\", \"secret_ref\": \"env:X\", \"types\": [\"chat\", \"sound\"], \"priority\": \"high\", \"weight\": -1, \"config\": {\"headers\": {\"bad header\": \"x\"}, \"ca_file\": \"certs/ca.pem\"}}"), ChannelSpec::Mode::Create, e);
        const QStringList f = fields(e);
        for (const char *name : {"name", "provider", "base_url", "secret_ref", "types[1]", "priority", "weight",
                                 "config.headers.bad header", "config.ca_file"})
            QVERIFY2(f.contains(QLatin1String(name)), qPrintable(f.join(QLatin1Char(','))));
    }

    void channelRefusesCredentialsInTheUrl()
    {
        FieldErrors e;
        ChannelSpec::fromJson(json("{\"name\": \"x\", \"provider\": \"openai\", \"base_url\": \"https://user:pw@host\"}"),
                              ChannelSpec::Mode::Create, e);
        QCOMPARE(fields(e), QStringList{QStringLiteral("base_url")});
    }

    void patchTakesAnySubsetAndNullClearsTheSecret()
    {
        FieldErrors e;
        const auto s = ChannelSpec::fromJson(json("{\"secret\": null, \"enabled\": false}"), ChannelSpec::Mode::Patch, e);
        QVERIFY(e.isEmpty());
        QVERIFY(s.clearSecret);
        QVERIFY(!*s.enabled);
        QVERIFY(!s.name);
    }

    void modelMinimalBodyIsValidAndPricesAreExact()
    {
        FieldErrors e;
        const auto s = ModelSpec::fromJson(json("{\"id\": \"gpt-4o-mini\", \"type\": \"chat\", \"pricing\": {\"input_per_mtok\": 0.15, \"output_per_mtok\": 0.6}, \"routes\": [{\"channel\": \"ch_1\", \"upstream_model\": \"gpt-4o-mini\"}], \"fallback\": {\"models\": [\"other-model\"], \"on\": [\"timeout\", \"5xx\", \"429\", \"connect\"]}}"),
                                           ModelSpec::Mode::Create, e);
        QVERIFY2(e.isEmpty(), qPrintable(e.summary()));
        const ModelPricing p = s.applyPricing({});
        QCOMPARE(p.inputPerMtok, qint64(150'000));
        QCOMPARE(p.outputPerMtok, qint64(600'000));
        const FallbackPolicy f = s.applyFallback({});
        QCOMPARE(f.models, QStringList{QStringLiteral("other-model")});
        QCOMPARE(f.maxAttempts, 3);
    }

    void modelErrorsNameNestedFields()
    {
        FieldErrors e;
        ModelSpec::fromJson(json("{\"id\": \"-bad\", \"type\": \"chat\", \"pricing\": {\"input_per_mtok\": 0.0000001, \"per_token\": 1}, \"routes\": [{\"upstream_model\": \"x\"}, 7], \"fallback\": {\"on\": [\"sometimes\"], \"max_attempts\": 0}}"),
                            ModelSpec::Mode::Create, e);
        const QStringList f = fields(e);
        for (const char *name : {"id", "pricing.input_per_mtok", "pricing.per_token", "routes[0].channel", "routes[1]",
                                 "fallback.on[0]", "fallback.max_attempts"})
            QVERIFY2(f.contains(QLatin1String(name)), qPrintable(f.join(QLatin1Char(','))));
    }

    void pricingPatchMergesIntoCurrentPrices()
    {
        FieldErrors e;
        const auto s = ModelSpec::fromJson(json("{\"pricing\": {\"output_per_mtok\": 2}}"), ModelSpec::Mode::Patch, e);
        ModelPricing current;
        current.inputPerMtok = 1;
        current.outputPerMtok = 1;
        const ModelPricing merged = s.applyPricing(current);
        QCOMPARE(merged.inputPerMtok, qint64(1));
        QCOMPARE(merged.outputPerMtok, qint64(2'000'000));
    }

    void userAndCreditsValidation()
    {
        FieldErrors e;
        const auto u = UserSpec::fromJson(json("{\"email\": \" A@Example.com \", \"credits\": 100}"), UserSpec::Mode::Create, e);
        QVERIFY(e.isEmpty());
        QCOMPARE(*u.email, QStringLiteral("a@example.com"));
        QCOMPARE(*u.initialCredits, qint64(100'000'000));

        FieldErrors e2;
        UserSpec::fromJson(json("{\"email\": \"nope\", \"credits\": -1}"), UserSpec::Mode::Create, e2);
        QCOMPARE(fields(e2), (QStringList{QStringLiteral("email"), QStringLiteral("credits")}));

        FieldErrors e3;
        const auto g = CreditGrantSpec::fromJson(json("{\"amount\": -2.5, \"reason\": \"fix\", \"idempotency_key\": \"k1\"}"), e3);
        QVERIFY(e3.isEmpty());
        QCOMPARE(g.amountMicro, qint64(-2'500'000));
        FieldErrors e4;
        CreditGrantSpec::fromJson(json("{\"amount\": 0.0000001}"), e4);
        QCOMPARE(fields(e4), QStringList{QStringLiteral("amount")});
        FieldErrors e5;
        CreditGrantSpec::fromJson(json("{\"amount\": 0}"), e5);
        QCOMPARE(fields(e5), QStringList{QStringLiteral("amount")});
    }

    void apiKeyValidation()
    {
        FieldErrors e;
        const auto k = ApiKeySpec::fromJson(json("{\"name\": \"ci\", \"models\": [\"gpt-4o-mini\"], \"rpm\": 60, \"expires_at\": \"2030-01-01T00:00:00Z\", \"ip_allow\": [\"10.0.0.0/8\", \"::1\"]}"), ApiKeySpec::Mode::Create, e);
        QVERIFY2(e.isEmpty(), qPrintable(e.summary()));
        QCOMPARE(*k.rpm, qint64(60));
        QCOMPARE(k.expiresAt->toMSecsSinceEpoch(), QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());

        FieldErrors e2;
        ApiKeySpec::fromJson(json("{\"rpm\": 1.5, \"expires_at\": \"tomorrow\", \"ip_allow\": [\"x\"], \"families\": [\"cohere\"], \"scopes\": [\"root\"]}"), ApiKeySpec::Mode::Create, e2);
        const QStringList f = fields(e2);
        for (const char *name : {"name", "rpm", "expires_at", "ip_allow[0]", "families[0]", "scopes[0]"})
            QVERIFY2(f.contains(QLatin1String(name)), qPrintable(f.join(QLatin1Char(','))));
    }
};

QTEST_GUILESS_MAIN(TestAdminSpecs)
#include "tst_adminspecs.moc"
