#include "harness/daemonprocess.h"

#include <QDir>
#include <QJsonArray>
#include <QFile>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>

#include <csignal>
#include <sys/stat.h>

using namespace gw::test;

namespace {

int fileMode(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}

// Runs gatewayd to completion with the given arguments (for options that make it exit).
int runToExit(const QStringList &args, QByteArray *out, QByteArray *err)
{
    QProcess p;
    p.start(qEnvironmentVariable("GATEWAYD_BINARY"), args);
    p.waitForFinished(20000);
    *out = p.readAllStandardOutput();
    *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace

class TestDaemonLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstStartMakesItsDataDirectoryAndToken()
    {
        DaemonProcess::Options options;
        options.adminToken.clear(); // let it generate one
        DaemonProcess daemon(options);
        QString error;
        QVERIFY2(daemon.start(&error), qPrintable(error));
        const QString data = daemon.dataDir();
        QCOMPARE(fileMode(data), 0700);
        QCOMPARE(fileMode(data + QStringLiteral("/admin-token")), 0600);
        QCOMPARE(fileMode(data + QStringLiteral("/master.key")), 0600);
        QVERIFY(QFile::exists(data + QStringLiteral("/gateway.db")));
        QVERIFY(daemon.standardOutput().contains("admin-token"));
        QVERIFY(daemon.adminToken().startsWith("gwa_"));
        QCOMPARE(daemon.admin("GET", QStringLiteral("/channels")).status, 200);
        QCOMPARE(daemon.get(QStringLiteral("/healthz")).status, 200);
        QCOMPARE(daemon.get(QStringLiteral("/readyz")).status, 200);

        // A restart keeps the token and everything created before it.
        QCOMPARE(daemon.admin("POST", QStringLiteral("/users"), {{QStringLiteral("email"), QStringLiteral("keep@example.com")}}).status, 201);
        QCOMPARE(daemon.stop(), 0);
        DaemonProcess::Options again;
        again.adminToken.clear();
        again.dataDir = data;
        DaemonProcess second(again);
        QVERIFY2(second.start(&error), qPrintable(error));
        QVERIFY(second.standardOutput().contains("the admin token is in"));
        QCOMPARE(second.adminToken(), daemon.adminToken());
        const auto users = second.admin("GET", QStringLiteral("/users"));
        QCOMPARE(users.status, 200);
        QVERIFY(users.body.contains("keep@example.com"));
        QCOMPARE(second.stop(), 0);
    }

    void refusesAMasterKeyThatDoesNotMatchTheDatabase()
    {
        DaemonProcess daemon;
        QString error;
        QVERIFY2(daemon.start(&error), qPrintable(error));
        QCOMPARE(daemon.stop(), 0);
        const QString keyPath = daemon.dataDir() + QStringLiteral("/master.key");
        QFile key(keyPath);
        QVERIFY(key.open(QIODevice::WriteOnly | QIODevice::Truncate));
        key.write(QByteArray(64, 'a') + '\n');
        key.close();
        DaemonProcess::Options options;
        options.dataDir = daemon.dataDir();
        DaemonProcess wrong(options);
        QVERIFY(!wrong.start(&error));
        QCOMPARE(wrong.exitCode(), 2);
        QVERIFY2(wrong.standardError().contains("master key"), wrong.standardError().constData());
    }

    void badOptionsExitWithTwoAndNameTheOption()
    {
        QByteArray out, err;
        QCOMPARE(runToExit({QStringLiteral("--workers"), QStringLiteral("0")}, &out, &err), 2);
        QVERIFY2(err.contains("workers"), err.constData());
        QCOMPARE(runToExit({QStringLiteral("--no-such-option")}, &out, &err), 2);
        QVERIFY(err.contains("no-such-option"));
        QCOMPARE(runToExit({QStringLiteral("--database"), QStringLiteral("mysql://x")}, &out, &err), 2);
    }

    void anUnreachableDatabaseExitsWithThree()
    {
        QTemporaryDir dir;
        QByteArray out, err;
        QCOMPARE(runToExit({QStringLiteral("--data"), dir.path(), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--database"), QStringLiteral("postgres://nobody:nothing@127.0.0.1:1/none")},
                           &out, &err), 3);
        QVERIFY2(err.contains("database unreachable"), err.constData());
        QVERIFY2(!err.contains("nothing"), "the database password reached the log");
    }

    void versionAndHelpExitZero()
    {
        QByteArray out, err;
        QCOMPARE(runToExit({QStringLiteral("--version")}, &out, &err), 0);
        QVERIFY(out.startsWith("gatewayd "));
        QCOMPARE(runToExit({QStringLiteral("--help")}, &out, &err), 0);
        QVERIFY(out.contains("--admin-listen"));
    }

    void importsTheConfigFilesCatalog()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("gatewayd.json"));
        auto writeConfig = [&config](int priority) {
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            const QJsonObject catalog{
                {QStringLiteral("channels"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("primary")},
                                                                    {QStringLiteral("provider"), QStringLiteral("openai")},
                                                                    {QStringLiteral("base_url"), QStringLiteral("http://127.0.0.1:9")},
                                                                    {QStringLiteral("secret_ref"), QStringLiteral("env:GW_TEST_UPSTREAM_KEY")},
                                                                    {QStringLiteral("priority"), priority}}}},
                {QStringLiteral("models"), QJsonArray{
                    QJsonObject{{QStringLiteral("id"), QStringLiteral("a")}, {QStringLiteral("type"), QStringLiteral("chat")},
                                {QStringLiteral("routes"), QJsonArray{QJsonObject{{QStringLiteral("channel"), QStringLiteral("primary")}}}},
                                {QStringLiteral("fallback"), QJsonObject{{QStringLiteral("models"), QJsonArray{QStringLiteral("b")}}}}},
                    QJsonObject{{QStringLiteral("id"), QStringLiteral("b")}, {QStringLiteral("type"), QStringLiteral("chat")},
                                {QStringLiteral("fallback"), QJsonObject{{QStringLiteral("models"), QJsonArray{QStringLiteral("a")}}}}}}}};
            f.write(QJsonDocument(QJsonObject{{QStringLiteral("workers"), 1}, {QStringLiteral("catalog"), catalog}}).toJson());
        };
        writeConfig(5);
        DaemonProcess::Options options;
        options.arguments = {QStringLiteral("--config"), config};
        options.environment.insert(QStringLiteral("GW_TEST_UPSTREAM_KEY"), QStringLiteral("sk-from-env-123"));
        DaemonProcess daemon(options);
        QString error;
        QVERIFY2(daemon.start(&error), qPrintable(error));
        auto models = daemon.admin("GET", QStringLiteral("/models")).json().value(QStringLiteral("data")).toArray();
        QCOMPARE(models.size(), 2);
        QCOMPARE(models.at(0).toObject().value(QStringLiteral("fallback")).toObject().value(QStringLiteral("models")).toArray().first().toString(),
                 QStringLiteral("b"));
        const QJsonObject channel = daemon.admin("GET", QStringLiteral("/channels")).json().value(QStringLiteral("data")).toArray().first().toObject();
        QCOMPARE(channel.value(QStringLiteral("priority")).toInt(), 5);
        QVERIFY(channel.value(QStringLiteral("secret_problem")).isNull());
        QCOMPARE(daemon.stop(), 0);

        // Starting again with a changed file changes, not duplicates.
        writeConfig(7);
        options.dataDir = daemon.dataDir();
        DaemonProcess again(options);
        QVERIFY2(again.start(&error), qPrintable(error));
        const QJsonArray channels = again.admin("GET", QStringLiteral("/channels")).json().value(QStringLiteral("data")).toArray();
        QCOMPARE(channels.size(), 1);
        QCOMPARE(channels.first().toObject().value(QStringLiteral("priority")).toInt(), 7);
        QCOMPARE(again.admin("GET", QStringLiteral("/models")).json().value(QStringLiteral("data")).toArray().size(), 2);
        QCOMPARE(again.stop(), 0);

        QFile bad(config);
        QVERIFY(bad.open(QIODevice::WriteOnly | QIODevice::Truncate));
        bad.write("{\"catalog\": {\"channels\": [{\"name\": \"x\", \"provider\": \"openai\", \"base_url\": \"nope\"}]}}");
        bad.close();
        DaemonProcess broken(options);
        QVERIFY(!broken.start(&error));
        QCOMPARE(broken.exitCode(), 2);
        QVERIFY2(broken.standardError().contains("catalog.channels[0].base_url"), broken.standardError().constData());
    }

    void sigtermLetsInFlightRequestsFinish()
    {
        DaemonProcess daemon;
        QString error;
        QVERIFY2(daemon.start(&error), qPrintable(error));
        const QByteArray body = "{\"email\": \"drain@example.com\", \"credits\": 5}";
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, daemon.port());
        QVERIFY(socket.waitForConnected(3000));
        socket.write("POST /admin/v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + daemon.adminToken()
                     + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
                     + body.left(10));
        QVERIFY(socket.waitForBytesWritten(3000));
        QTest::qWait(200);
        ::kill(pid_t(daemon.pid()), SIGTERM);
        QTest::qWait(300);
        // Draining: no new connections are taken, but this request is finished.
        QTcpSocket late;
        late.connectToHost(QHostAddress::LocalHost, daemon.port());
        QVERIFY(!late.waitForConnected(300) || !late.waitForReadyRead(300));
        socket.write(body.mid(10));
        QVERIFY(socket.waitForBytesWritten(3000));
        QByteArray response;
        while (!response.contains("drain@example.com") && socket.waitForReadyRead(5000))
            response += socket.readAll();
        QVERIFY2(response.startsWith("HTTP/1.1 201"), response.constData());
        QVERIFY(response.contains("connection: close"));
        QCOMPARE(daemon.waitForExit(10000), 0);

        DaemonProcess::Options options;
        options.dataDir = daemon.dataDir();
        DaemonProcess after(options);
        QVERIFY2(after.start(&error), qPrintable(error));
        QVERIFY(after.admin("GET", QStringLiteral("/users")).body.contains("drain@example.com"));
    }

    void adminListenMovesTheAdminApi()
    {
        DaemonProcess::Options options;
        options.arguments = {QStringLiteral("--admin-listen"), QStringLiteral("127.0.0.1:0")};
        DaemonProcess daemon(options);
        QString error;
        QVERIFY2(daemon.start(&error), qPrintable(error));
        QVERIFY(daemon.adminPort() != daemon.port());
        QCOMPARE(daemon.admin("GET", QStringLiteral("/channels")).status, 200);
        const auto onPublic = httpRequest("GET", daemon.url(QStringLiteral("/admin/v1/channels")), {},
                                          {{"Authorization", "Bearer " + daemon.adminToken()}});
        QCOMPARE(onPublic.status, 404);
        QCOMPARE(daemon.get(QStringLiteral("/healthz")).status, 200);
        QCOMPARE(httpRequest("GET", daemon.url(QStringLiteral("/healthz"), true)).status, 200);
    }

    void raisesTheOpenFileLimit()
    {
        DaemonProcess daemon;
        QString error;
        QVERIFY2(daemon.start(&error), qPrintable(error));
        QFile limits(QStringLiteral("/proc/%1/limits").arg(daemon.pid()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        for (const QByteArray &line : limits.readAll().split('\n')) {
            if (!line.startsWith("Max open files"))
                continue;
            const QList<QByteArray> parts = line.simplified().split(' ');
            QCOMPARE(parts.at(3), parts.at(4)); // soft == hard
            return;
        }
        QFAIL("no open-file limit line");
    }

    void logsNeverCarrySecrets()
    {
        DaemonProcess::Options options;
        options.arguments = {QStringLiteral("--log-level"), QStringLiteral("debug")};
        DaemonProcess daemon(options);
        QString error;
        QVERIFY2(daemon.start(&error), qPrintable(error));
        const QByteArray channelSecret = "sk-upstream-CHANNELSECRET-0123456789";
        QCOMPARE(daemon.admin("POST", QStringLiteral("/channels"),
                              {{QStringLiteral("name"), QStringLiteral("c1")}, {QStringLiteral("provider"), QStringLiteral("openai")},
                               {QStringLiteral("base_url"), QStringLiteral("http://127.0.0.1:9")},
                               {QStringLiteral("secret"), QString::fromLatin1(channelSecret)}}).status, 201);
        const auto user = daemon.admin("POST", QStringLiteral("/users"), {{QStringLiteral("email"), QStringLiteral("l@example.com")}});
        const auto key = daemon.admin("POST", QStringLiteral("/users/%1/keys").arg(user.json().value(QStringLiteral("id")).toString()),
                                      {{QStringLiteral("name"), QStringLiteral("k")}});
        const QByteArray apiKey = key.json().value(QStringLiteral("key")).toString().toLatin1();
        QVERIFY(apiKey.startsWith("sk-"));
        // Credentials in every place a client may put them, including a failing call.
        daemon.get(QStringLiteral("/v1beta/models?key=") + QString::fromLatin1(apiKey));
        daemon.get(QStringLiteral("/v1/models"), {{"Authorization", "Bearer " + apiKey}});
        daemon.get(QStringLiteral("/admin/v1/nothing?token=") + QString::fromLatin1(daemon.adminToken()));
        daemon.admin("GET", QStringLiteral("/channels"), {}, "gwa_wrongwrongwrongwrong");
        QCOMPARE(daemon.stop(), 0);
        const QByteArray logs = daemon.standardError() + daemon.standardOutput();
        QVERIFY(logs.contains("request"));
        QVERIFY2(!logs.contains(apiKey.mid(3)), "an API key reached the log");
        QVERIFY2(!logs.contains(channelSecret), "a channel secret reached the log");
        QVERIFY2(!logs.contains(daemon.adminToken().mid(4)), "the admin token reached the log");
    }
};

QTEST_GUILESS_MAIN(TestDaemonLifecycle)
#include "tst_daemonlifecycle.moc"
