#include "app/daemonoptionsloader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace gw;

class TestDaemonOptions : public QObject
{
    Q_OBJECT

    static DaemonOptionsLoader::Result load(const QStringList &args, const QProcessEnvironment &env = {})
    {
        return DaemonOptionsLoader::load(QStringList{QStringLiteral("gatewayd")} + args, env);
    }

private Q_SLOTS:
    void defaultsNeedNoFlags()
    {
        const auto r = load({});
        QVERIFY(r.options);
        QCOMPARE(r.options->listen.display(), QStringLiteral("127.0.0.1:8080"));
        QCOMPARE(r.options->effectiveDatabaseUrl(), QStringLiteral("sqlite:data/gateway.db"));
        QCOMPARE(r.options->effectiveMasterKeyFile(), QStringLiteral("data/master.key"));
        QVERIFY(r.options->workers >= 1);
        QVERIFY(!r.options->adminListen);
    }

    void commandLineBeatsEnvironmentBeatsConfig()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("c.json"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"listen\": \"127.0.0.1:1111\", \"workers\": 3, \"data\": \"/from/config\", \"admin_listen\": \"127.0.0.1:2222\", \"catalog\": {\"channels\": []}}");
        f.close();
        QProcessEnvironment env;
        env.insert(QStringLiteral("GATEWAY_WORKERS"), QStringLiteral("5"));
        env.insert(QStringLiteral("GATEWAY_DATA"), QStringLiteral("/from/env"));
        env.insert(QStringLiteral("GATEWAY_ADMIN_TOKEN"), QStringLiteral("env-token-0123456789"));
        const auto r = load({QStringLiteral("--config"), config, QStringLiteral("--data=/from/cli")}, env);
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->listen.port, quint16(1111));          // config only
        QCOMPARE(r.options->adminListen->port, quint16(2222));    // config, snake_case accepted
        QCOMPARE(r.options->workers, 5);                          // env beats config
        QCOMPARE(r.options->dataDir, QStringLiteral("/from/cli")); // cli beats env
        QCOMPARE(r.options->adminToken, QByteArray("env-token-0123456789"));
        QVERIFY(r.options->catalog.contains(QStringLiteral("channels")));
    }

    void errorsNameTheOption_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("bad listen") << QStringList{QStringLiteral("--listen"), QStringLiteral("nonsense")} << QStringLiteral("listen");
        QTest::newRow("bad port") << QStringList{QStringLiteral("--listen=1.2.3.4:99999")} << QStringLiteral("listen");
        QTest::newRow("workers zero") << QStringList{QStringLiteral("--workers"), QStringLiteral("0")} << QStringLiteral("workers");
        QTest::newRow("unknown") << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("missing value") << QStringList{QStringLiteral("--data")} << QStringLiteral("data");
        QTest::newRow("short token") << QStringList{QStringLiteral("--admin-token"), QStringLiteral("short")} << QStringLiteral("admin-token");
        QTest::newRow("missing config") << QStringList{QStringLiteral("--config"), QStringLiteral("/nonexistent.json")} << QStringLiteral("config");
        QTest::newRow("bad redis") << QStringList{QStringLiteral("--redis"), QStringLiteral("http://x")} << QStringLiteral("redis");
        QTest::newRow("bad cidr") << QStringList{QStringLiteral("--trusted-proxies"), QStringLiteral("10.0.0.0/99")} << QStringLiteral("trusted-proxies");
        QTest::newRow("same admin listen") << QStringList{QStringLiteral("--admin-listen"), QStringLiteral("127.0.0.1:8080")} << QStringLiteral("admin-listen");
        QTest::newRow("stray argument") << QStringList{QStringLiteral("serve")} << QStringLiteral("serve");
    }
    void errorsNameTheOption()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const auto r = load(args);
        QVERIFY(!r.options);
        QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
    }

    void environmentErrorsNameTheVariable()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("GATEWAY_WORKERS"), QStringLiteral("many"));
        const auto r = load({}, env);
        QVERIFY(!r.options);
        QVERIFY2(r.error.contains(QStringLiteral("GATEWAY_WORKERS")), qPrintable(r.error));
    }

    void unknownConfigKeysAreRefused()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("c.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"lisen\": \"127.0.0.1:1\"}");
        f.close();
        const auto r = load({QStringLiteral("--config"), f.fileName()});
        QVERIFY(!r.options);
        QVERIFY2(r.error.contains(QStringLiteral("lisen")), qPrintable(r.error));
    }

    void laterOptionsAreAcceptedWithAWarning()
    {
        const auto r = load({QStringLiteral("--redis"), QStringLiteral("redis://127.0.0.1:6379"),
                             QStringLiteral("--callback-allow"), QStringLiteral("10.0.0.0/8,127.0.0.1")});
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->warnings.size(), 2);
        QVERIFY(r.options->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("--redis")));
    }

    void listenAddressForms()
    {
        QCOMPARE(ListenAddress::parse(QStringLiteral("[::1]:8080"))->display(), QStringLiteral("[::1]:8080"));
        QCOMPARE(ListenAddress::parse(QStringLiteral("localhost:80"))->display(), QStringLiteral("127.0.0.1:80"));
        QCOMPARE(ListenAddress::parse(QStringLiteral(":9"))->display(), QStringLiteral("0.0.0.0:9"));
        QVERIFY(!ListenAddress::parse(QStringLiteral("example.com:80")));
        QVERIFY(!ListenAddress::parse(QStringLiteral("::1:80")));
    }

    void helpAndVersionPrint()
    {
        QVERIFY(load({QStringLiteral("--help")}).printAndExit.contains(QStringLiteral("--master-key-file")));
        QVERIFY(load({QStringLiteral("--version")}).printAndExit.startsWith(QStringLiteral("gatewayd ")));
    }
};

QTEST_GUILESS_MAIN(TestDaemonOptions)
#include "tst_daemonoptions.moc"
