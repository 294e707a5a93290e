#include "fakeupstream.h"
#include "harness/daemonprocess.h"
#include "harness/sdkworkspace.h"

#include <QJsonArray>
#include <QTest>

using namespace gw::test;

// The official `openai` npm client against the gateway: it must get the
// same answers it gets from the upstream directly, streams and tool calls
// included, and raise its own error types for the gateway's errors.
class TestOpenAiSdk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void officialClientGetsTheUpstreamsAnswers()
    {
        QString error;
        SdkWorkspace sdk(QStringLiteral(GATEWAY_SDK_DIR));
        QVERIFY2(sdk.prepare(&error), qPrintable(error));

        FakeUpstream upstream;
        FakeUpstream broken;
        QVERIFY(upstream.startInThread());
        QVERIFY(broken.startInThread());
        broken.setDefaultBehavior(FakeBehavior().withStatus(500));
        DaemonProcess daemon;
        QVERIFY2(daemon.start(&error), qPrintable(error));

        auto post = [&daemon](const QString &path, const QJsonObject &body) {
            return daemon.admin("POST", path, body).json().value(QStringLiteral("id")).toString();
        };
        const QString channel = post(QStringLiteral("/channels"), {{QStringLiteral("name"), QStringLiteral("up")},
                                                                    {QStringLiteral("provider"), QStringLiteral("openai")},
                                                                    {QStringLiteral("base_url"), upstream.baseUrl()},
                                                                    {QStringLiteral("secret"), QStringLiteral("sk-upstream-direct")}});
        const QString brokenChannel = post(QStringLiteral("/channels"), {{QStringLiteral("name"), QStringLiteral("broken")},
                                                                          {QStringLiteral("provider"), QStringLiteral("openai")},
                                                                          {QStringLiteral("base_url"), broken.baseUrl()},
                                                                          {QStringLiteral("secret"), QStringLiteral("sk-x")}});
        QVERIFY(!channel.isEmpty() && !brokenChannel.isEmpty());
        auto model = [&](const QString &id, const QString &type, const QString &via) {
            QCOMPARE(daemon.admin("POST", QStringLiteral("/models"),
                                  {{QStringLiteral("id"), id}, {QStringLiteral("type"), type},
                                   {QStringLiteral("routes"), QJsonArray{QJsonObject{{QStringLiteral("channel"), via}}}}}).status, 201);
        };
        model(QStringLiteral("gpt-4o-mini"), QStringLiteral("chat"), channel);
        model(QStringLiteral("text-embedding-3-small"), QStringLiteral("embeddings"), channel);
        model(QStringLiteral("dall-e-3"), QStringLiteral("image"), channel);
        model(QStringLiteral("tts-1"), QStringLiteral("tts"), channel);
        model(QStringLiteral("fails-upstream"), QStringLiteral("chat"), brokenChannel);
        const QString user = post(QStringLiteral("/users"), {{QStringLiteral("email"), QStringLiteral("sdk@example.com")}});
        const QString key = daemon.admin("POST", QStringLiteral("/users/%1/keys").arg(user), {{QStringLiteral("name"), QStringLiteral("sdk")}})
                                .json().value(QStringLiteral("key")).toString();

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEWAY_URL"), daemon.url(QStringLiteral("/v1")).toString());
        env.insert(QStringLiteral("GATEWAY_KEY"), key);
        env.insert(QStringLiteral("UPSTREAM_URL"), upstream.baseUrl() + QStringLiteral("/v1"));
        env.insert(QStringLiteral("MODEL"), QStringLiteral("gpt-4o-mini"));
        env.insert(QStringLiteral("EMBEDDING_MODEL"), QStringLiteral("text-embedding-3-small"));
        env.insert(QStringLiteral("IMAGE_MODEL"), QStringLiteral("dall-e-3"));
        env.insert(QStringLiteral("SPEECH_MODEL"), QStringLiteral("tts-1"));
        int exitCode = -1;
        const QJsonObject results = sdk.run(QStringLiteral("openai_sdk_check.mjs"), env, &exitCode, &error);
        QVERIFY2(!results.isEmpty(), qPrintable(error));
        for (auto it = results.constBegin(); it != results.constEnd(); ++it) {
            const QJsonObject r = it.value().toObject();
            QVERIFY2(r.value(QStringLiteral("ok")).toBool(),
                     qPrintable(it.key() + QStringLiteral(": ") + r.value(QStringLiteral("error")).toString()));
        }
        for (const char *name : {"chat", "stream", "stream_with_usage", "tools", "embeddings", "images", "speech", "models",
                                 "error_authentication",
                                 "error_not_found", "error_bad_request", "error_upstream_failure"})
            QVERIFY2(results.contains(QLatin1String(name)), name);
        QCOMPARE(exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestOpenAiSdk)
#include "tst_openaisdk.moc"
