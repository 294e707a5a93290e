#include "fakeupstream.h"
#include "harness/daemonprocess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace gw::test;

// The official `openai` npm client against the gateway: it must get the
// same answers it gets from the upstream directly, streams and tool calls
// included, and raise its own error types for the gateway's errors.
class TestOpenAiSdk : public QObject
{
    Q_OBJECT

    QString m_sdkDir;

    // Installs the pinned SDK once into a cache directory keyed by package.json.
    bool prepareSdk(QString *error)
    {
        const QString source = QStringLiteral(GATEWAY_SDK_DIR);
        QFile manifest(source + QStringLiteral("/package.json"));
        if (!manifest.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1").arg(manifest.fileName());
            return false;
        }
        const QByteArray content = manifest.readAll();
        const QString hash = QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex().left(12));
        m_sdkDir = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/gateway-sdk-checks-") + hash;
        QDir().mkpath(m_sdkDir);
        for (const char *file : {"package.json", "openai_sdk_check.mjs"}) {
            QFile::remove(m_sdkDir + QLatin1Char('/') + QLatin1String(file));
            QFile::copy(source + QLatin1Char('/') + QLatin1String(file), m_sdkDir + QLatin1Char('/') + QLatin1String(file));
        }
        if (QFile::exists(m_sdkDir + QStringLiteral("/node_modules/openai/package.json")))
            return true;
        QProcess npm;
        npm.setWorkingDirectory(m_sdkDir);
        npm.start(QStringLiteral("npm"), {QStringLiteral("install"), QStringLiteral("--no-audit"), QStringLiteral("--no-fund"),
                                          QStringLiteral("--loglevel=error")});
        if (!npm.waitForFinished(300000) || npm.exitCode() != 0) {
            *error = QStringLiteral("npm install failed: %1 %2").arg(QString::fromUtf8(npm.readAllStandardError()), npm.errorString());
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void officialClientGetsTheUpstreamsAnswers()
    {
        QString error;
        QVERIFY2(prepareSdk(&error), qPrintable(error));

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
        model(QStringLiteral("fails-upstream"), QStringLiteral("chat"), brokenChannel);
        const QString user = post(QStringLiteral("/users"), {{QStringLiteral("email"), QStringLiteral("sdk@example.com")}});
        const QString key = daemon.admin("POST", QStringLiteral("/users/%1/keys").arg(user), {{QStringLiteral("name"), QStringLiteral("sdk")}})
                                .json().value(QStringLiteral("key")).toString();

        QProcess node;
        node.setWorkingDirectory(m_sdkDir);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEWAY_URL"), daemon.url(QStringLiteral("/v1")).toString());
        env.insert(QStringLiteral("GATEWAY_KEY"), key);
        env.insert(QStringLiteral("UPSTREAM_URL"), upstream.baseUrl() + QStringLiteral("/v1"));
        env.insert(QStringLiteral("MODEL"), QStringLiteral("gpt-4o-mini"));
        env.insert(QStringLiteral("EMBEDDING_MODEL"), QStringLiteral("text-embedding-3-small"));
        node.setProcessEnvironment(env);
        node.start(QStringLiteral("node"), {QStringLiteral("openai_sdk_check.mjs")});
        QVERIFY2(node.waitForStarted(10000), "node is needed for the SDK checks");
        // The event loop must run: the fakes live in their own threads, but be generous.
        QVERIFY(node.waitForFinished(120000));
        const QByteArray out = node.readAllStandardOutput();
        const QByteArray err = node.readAllStandardError();
        const QJsonObject results = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
        QVERIFY2(!results.isEmpty(), QByteArray(out + err).constData());
        for (auto it = results.constBegin(); it != results.constEnd(); ++it) {
            const QJsonObject r = it.value().toObject();
            QVERIFY2(r.value(QStringLiteral("ok")).toBool(),
                     qPrintable(it.key() + QStringLiteral(": ") + r.value(QStringLiteral("error")).toString()));
        }
        for (const char *name : {"chat", "stream", "stream_with_usage", "tools", "embeddings", "models", "error_authentication",
                                 "error_not_found", "error_bad_request", "error_upstream_failure"})
            QVERIFY2(results.contains(QLatin1String(name)), name);
        QCOMPARE(node.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestOpenAiSdk)
#include "tst_openaisdk.moc"
