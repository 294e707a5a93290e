#include "fakeupstream.h"
#include "harness/daemonprocess.h"
#include "harness/sdkworkspace.h"

#include <QJsonArray>
#include <QTest>

using namespace gw::test;

// The official Anthropic, Google Gen AI and OpenAI npm clients against
// models behind an OpenAI, an Anthropic and a Gemini channel: every client
// works unchanged with every family, natively and translated, streams and
// tool calls included, gets its own error types, and every call is in the
// usage log with the upstream's token counts.
class TestFamilySdks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void officialClientsWorkAcrossFamilies()
    {
        QString error;
        SdkWorkspace sdk(QStringLiteral(GATEWAY_SDK_DIR));
        QVERIFY2(sdk.prepare(&error), qPrintable(error));

        FakeUpstream upstream;
        QVERIFY(upstream.startInThread());
        DaemonProcess daemon;
        QVERIFY2(daemon.start(&error), qPrintable(error));

        QJsonObject models;
        for (const QString &family : {QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini")}) {
            const auto channel = daemon.admin("POST", QStringLiteral("/channels"),
                                              {{QStringLiteral("name"), family}, {QStringLiteral("provider"), family},
                                               {QStringLiteral("base_url"), upstream.baseUrl()},
                                               {QStringLiteral("secret"), QStringLiteral("sk-upstream")},
                                               {QStringLiteral("types"), QJsonArray{QStringLiteral("chat"), QStringLiteral("embeddings")}}});
            QCOMPARE(channel.status, 201);
            const QString id = QStringLiteral("via-") + family;
            const QString channelId = channel.json().value(QStringLiteral("id")).toString();
            QCOMPARE(daemon.admin("POST", QStringLiteral("/models"),
                                  {{QStringLiteral("id"), id}, {QStringLiteral("type"), QStringLiteral("chat")},
                                   {QStringLiteral("routes"), QJsonArray{QJsonObject{{QStringLiteral("channel"), channelId}}}}}).status, 201);
            models.insert(family, id);
            if (family == QLatin1String("gemini")) {
                QCOMPARE(daemon.admin("POST", QStringLiteral("/models"),
                                      {{QStringLiteral("id"), QStringLiteral("embed-gemini")}, {QStringLiteral("type"), QStringLiteral("embeddings")},
                                       {QStringLiteral("routes"), QJsonArray{QJsonObject{{QStringLiteral("channel"), channelId}}}}}).status, 201);
            }
        }
        const QString user = daemon.admin("POST", QStringLiteral("/users"), {{QStringLiteral("email"), QStringLiteral("sdks@example.com")}})
                                 .json().value(QStringLiteral("id")).toString();
        const QString key = daemon.admin("POST", QStringLiteral("/users/%1/keys").arg(user), {{QStringLiteral("name"), QStringLiteral("sdks")}})
                                .json().value(QStringLiteral("key")).toString();

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEWAY_BASE"), daemon.url(QString()).toString(QUrl::StripTrailingSlash));
        env.insert(QStringLiteral("GATEWAY_KEY"), key);
        env.insert(QStringLiteral("MODELS"), QString::fromUtf8(QJsonDocument(models).toJson(QJsonDocument::Compact)));
        env.insert(QStringLiteral("EMBED_MODEL"), QStringLiteral("embed-gemini"));
        int exitCode = -1;
        const QJsonObject results = sdk.run(QStringLiteral("family_sdk_check.mjs"), env, &exitCode, &error);
        QVERIFY2(!results.isEmpty(), qPrintable(error));
        QStringList failures;
        for (auto it = results.constBegin(); it != results.constEnd(); ++it) {
            const QJsonObject r = it.value().toObject();
            if (!r.value(QStringLiteral("ok")).toBool())
                failures.append(it.key() + QStringLiteral(": ") + r.value(QStringLiteral("error")).toString());
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QStringLiteral("\n\n"))));
        // Every client, every family, native and translated.
        for (const QString &client : {QStringLiteral("anthropic"), QStringLiteral("gemini"), QStringLiteral("openai")}) {
            for (const QString &family : {QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini")}) {
                for (const QString &check : {QStringLiteral("stream"), QStringLiteral("tools"), QStringLiteral("tools_stream")}) {
                    const QString name = client + QLatin1Char('/') + family + QLatin1Char('/') + check;
                    QVERIFY2(results.contains(name), qPrintable(name));
                }
            }
        }
        QCOMPARE(exitCode, 0);

        // What the clients did is in the usage log, counted by the upstream:
        // 21 Anthropic, 21 Gemini and 12 OpenAI calls answered 200.
        const auto usage = daemon.admin("GET", QStringLiteral("/usage?limit=500"));
        QCOMPARE(usage.status, 200);
        int relayed = 0;
        for (const QJsonValue &v : usage.json().value(QStringLiteral("data")).toArray()) {
            const QJsonObject row = v.toObject();
            if (row.value(QStringLiteral("status")).toInt() != 200 || row.value(QStringLiteral("endpoint")).toString() != QLatin1String("chat"))
                continue;
            ++relayed;
            QVERIFY2(!row.value(QStringLiteral("estimated")).toBool(), QJsonDocument(row).toJson().constData());
            QVERIFY(row.value(QStringLiteral("prompt_tokens")).toInt() > 0);
            QVERIFY(row.value(QStringLiteral("completion_tokens")).toInt() > 0);
        }
        QVERIFY2(relayed >= 54, qPrintable(QString::number(relayed)));
    }
};

QTEST_GUILESS_MAIN(TestFamilySdks)
#include "tst_familysdks.moc"
