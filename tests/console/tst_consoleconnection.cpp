#include "fakeadminapi.h"

#include <commandlineoptions.h>
#include <connectioncontroller.h>
#include <connectionsettings.h>

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gw::console;
using gw::console::testing::FakeAdminApi;

namespace {

const QString Token = QStringLiteral("gwadm_s3cr3t-token-value");

QProcessEnvironment environmentWith(const QString &token)
{
    QProcessEnvironment env;
    if (!token.isEmpty())
        env.insert(CommandLineOptions::TokenVariable, token);
    return env;
}

} // namespace

class TestConsoleConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void parsesCommandLine();
    void takesTokenFromEnvironment();
    void rejectsBadArguments();

    void normalizesUrls_data();
    void normalizesUrls();
    void refusesUnusableInput();
    void connectsAndReportsState();
    void reports401AsFailedConnection();
    void reportsUnreachableDaemon();
    void keepsConnectedOnOtherErrors();
    void ignoresRepliesForThePreviousEndpoint();

    void storesUrlButNotTokenByDefault();
    void storesTokenOnlyWhenAskedAndOwnerOnly();
    void tightensAnExistingFile();
    void forgetsTokenWhenUnticked();

private:
    QString settingsFile() const { return m_dir.filePath(QStringLiteral("gateway-console.conf")); }
    QTemporaryDir m_dir;
};

void TestConsoleConnection::init()
{
    QFile::remove(settingsFile());
}

void TestConsoleConnection::parsesCommandLine()
{
    const auto options = CommandLineOptions::parse(
        {QStringLiteral("gateway-console"), QStringLiteral("--url"), QStringLiteral("http://gw:8080"),
         QStringLiteral("--token"), Token, QStringLiteral("--lang"), QStringLiteral("de")},
        environmentWith(QStringLiteral("from-env")));

    QVERIFY2(options.isValid(), qPrintable(options.errorText));
    QCOMPARE(options.url, QStringLiteral("http://gw:8080"));
    QCOMPARE(options.token, Token);
    QCOMPARE(options.language, QStringLiteral("de"));
    QVERIFY(!options.helpRequested);
    QVERIFY(!options.versionRequested);

    QVERIFY(CommandLineOptions::parse({QStringLiteral("gateway-console"), QStringLiteral("--help")}, {}).helpRequested);
    QVERIFY(CommandLineOptions::parse({QStringLiteral("gateway-console"), QStringLiteral("-v")}, {}).versionRequested);
}

void TestConsoleConnection::takesTokenFromEnvironment()
{
    const auto options = CommandLineOptions::parse({QStringLiteral("gateway-console")}, environmentWith(Token));
    QVERIFY(options.isValid());
    QCOMPARE(options.token, Token);
    QVERIFY(options.url.isEmpty());
    QVERIFY(options.language.isEmpty());
}

void TestConsoleConnection::rejectsBadArguments()
{
    QVERIFY(!CommandLineOptions::parse({QStringLiteral("gateway-console"), QStringLiteral("--colour")}, {}).isValid());
    QVERIFY(!CommandLineOptions::parse({QStringLiteral("gateway-console"), QStringLiteral("--url")}, {}).isValid());
    QVERIFY(!CommandLineOptions::parse({QStringLiteral("gateway-console"), QStringLiteral("stray")}, {}).isValid());
}

void TestConsoleConnection::normalizesUrls_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("full") << QStringLiteral("https://gw.example.com:8443") << QStringLiteral("https://gw.example.com:8443");
    QTest::newRow("host:port") << QStringLiteral("127.0.0.1:8080") << QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("localhost") << QStringLiteral("localhost:8080") << QStringLiteral("http://localhost:8080");
    QTest::newRow("spaces") << QStringLiteral("  http://gw:1  ") << QStringLiteral("http://gw:1");
    QTest::newRow("admin path") << QStringLiteral("http://gw:1/admin/v1") << QStringLiteral("http://gw:1");
    QTest::newRow("prefix kept") << QStringLiteral("https://gw/proxy/admin/v1/") << QStringLiteral("https://gw/proxy");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("ftp") << QStringLiteral("ftp://gw") << QString();
    QTest::newRow("query") << QStringLiteral("http://gw/?x=1") << QString();
    QTest::newRow("no host") << QStringLiteral("http://") << QString();
}

void TestConsoleConnection::normalizesUrls()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(ConnectionController::normalizedUrl(input).toString(), expected);
}

void TestConsoleConnection::refusesUnusableInput()
{
    FakeAdminApi api;
    ConnectionController connection(&api, nullptr);
    QSignalSpy changed(&connection, &ConnectionController::stateChanged);
    QSignalSpy endpoint(&connection, &ConnectionController::endpointChanged);

    QVERIFY(!connection.connectTo(QStringLiteral("ftp://gw"), Token, false));
    QCOMPARE(connection.state(), ConnectionController::State::Disconnected);
    QVERIFY(connection.lastError().isSet());
    QCOMPARE(changed.size(), 1);

    QVERIFY(!connection.connectTo(QStringLiteral("http://gw:8080"), QStringLiteral("  "), false));
    QCOMPARE(changed.size(), 2); // another reason, another text
    QVERIFY(connection.statusText().contains(QStringLiteral("token")));

    QCOMPARE(endpoint.size(), 0);
    QCOMPARE(api.endpointChanges, 0);
}

void TestConsoleConnection::connectsAndReportsState()
{
    FakeAdminApi api;
    ConnectionController connection(&api, nullptr);
    QSignalSpy endpoint(&connection, &ConnectionController::endpointChanged);

    QCOMPARE(connection.state(), ConnectionController::State::Disconnected);
    QVERIFY(connection.connectTo(QStringLiteral("127.0.0.1:8080"), Token, false));
    QCOMPARE(api.baseUrl, QUrl(QStringLiteral("http://127.0.0.1:8080")));
    QCOMPARE(api.token, Token);
    QCOMPARE(endpoint.size(), 1);
    QCOMPARE(connection.state(), ConnectionController::State::Connecting);

    bool answered = false;
    connection.get(QStringLiteral("/channels"), [&answered](const AdminApi::Reply &reply) { answered = reply.ok(); });
    QCOMPARE(api.pendingPath(), QStringLiteral("/channels"));
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({})));

    QVERIFY(answered);
    QCOMPARE(connection.state(), ConnectionController::State::Connected);
    QCOMPARE(connection.statusText(), QStringLiteral("Connected to http://127.0.0.1:8080"));
}

void TestConsoleConnection::reports401AsFailedConnection()
{
    FakeAdminApi api;
    ConnectionController connection(&api, nullptr);
    connection.connectTo(QStringLiteral("http://gw:8080"), Token, false);
    connection.get(QStringLiteral("/channels"), {});
    api.respond(FakeAdminApi::apiError(401, QStringLiteral("invalid admin token"), QStringLiteral("authentication_error")));

    QCOMPARE(connection.state(), ConnectionController::State::Failed);
    QCOMPARE(connection.lastError().status(), 401);
    const QString text = connection.statusText();
    QVERIFY2(text.contains(QStringLiteral("HTTP 401: invalid admin token")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("http://gw:8080")), qPrintable(text));
    QVERIFY(!text.contains(Token));
}

void TestConsoleConnection::reportsUnreachableDaemon()
{
    FakeAdminApi api;
    ConnectionController connection(&api, nullptr);
    connection.connectTo(QStringLiteral("http://user:pw@gw:9"), Token, false);
    connection.get(QStringLiteral("/channels"), {});
    api.respond(FakeAdminApi::unreachable());

    QCOMPARE(connection.state(), ConnectionController::State::Failed);
    const QString text = connection.statusText();
    QVERIFY2(text.contains(QStringLiteral("Connection refused")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("pw")), qPrintable(text));
}

void TestConsoleConnection::keepsConnectedOnOtherErrors()
{
    FakeAdminApi api;
    ConnectionController connection(&api, nullptr);
    QSignalSpy failed(&connection, &ConnectionController::requestFailed);
    connection.connectTo(QStringLiteral("http://gw:8080"), Token, false);
    connection.get(QStringLiteral("/channels"), {});
    api.respond(FakeAdminApi::apiError(403, QStringLiteral("role viewer may not do this"), QStringLiteral("permission_error")));

    // The daemon answered and knew the token: connected, with an error to show.
    QCOMPARE(connection.state(), ConnectionController::State::Connected);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).value<RequestError>().status(), 403);
}

void TestConsoleConnection::ignoresRepliesForThePreviousEndpoint()
{
    FakeAdminApi api;
    ConnectionController connection(&api, nullptr);
    connection.connectTo(QStringLiteral("http://old:1"), Token, false);
    connection.get(QStringLiteral("/channels"), {});
    connection.connectTo(QStringLiteral("http://new:2"), Token, false);
    connection.get(QStringLiteral("/channels"), {});

    api.respond(FakeAdminApi::unreachable());
    QCOMPARE(connection.state(), ConnectionController::State::Connecting);
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({})));
    QCOMPARE(connection.state(), ConnectionController::State::Connected);
    QCOMPARE(connection.baseUrl(), QUrl(QStringLiteral("http://new:2")));
}

void TestConsoleConnection::storesUrlButNotTokenByDefault()
{
    ConnectionSettings settings(settingsFile());
    FakeAdminApi api;
    ConnectionController connection(&api, &settings);
    connection.connectTo(QStringLiteral("gw.example:8080"), Token, false);

    // Nothing is stored until the daemon has answered.
    QVERIFY(!QFile::exists(settingsFile()));
    connection.get(QStringLiteral("/channels"), {});
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({})));

    const ConnectionSettings::Stored stored = settings.load();
    QCOMPARE(stored.url, QUrl(QStringLiteral("http://gw.example:8080")));
    QVERIFY(stored.token.isEmpty());
    QVERIFY(!stored.rememberToken);

    QFile file(settingsFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(Token.toUtf8()));
}

void TestConsoleConnection::storesTokenOnlyWhenAskedAndOwnerOnly()
{
    ConnectionSettings settings(settingsFile());
    FakeAdminApi api;
    ConnectionController connection(&api, &settings);
    connection.connectTo(QStringLiteral("http://gw:8080"), Token, true);
    connection.get(QStringLiteral("/channels"), {});
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({})));

    const ConnectionSettings::Stored stored = settings.load();
    QCOMPARE(stored.token, Token);
    QVERIFY(stored.rememberToken);
    QCOMPARE(QFile::permissions(settingsFile()) & ~(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser),
             QFile::ReadOwner | QFile::WriteOwner);
}

void TestConsoleConnection::tightensAnExistingFile()
{
    {
        QSettings other(settingsFile(), QSettings::IniFormat);
        other.setValue(QStringLiteral("window/width"), 900);
    }
    QVERIFY(QFile::setPermissions(settingsFile(), QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));

    ConnectionSettings settings(settingsFile());
    QVERIFY(settings.save(QUrl(QStringLiteral("http://gw:1")), Token, true));
    const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
        | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QCOMPARE(QFile::permissions(settingsFile()) & others, QFile::Permissions());
    // Other keys in the file survive.
    QCOMPARE(QSettings(settingsFile(), QSettings::IniFormat).value(QStringLiteral("window/width")).toInt(), 900);
}

void TestConsoleConnection::forgetsTokenWhenUnticked()
{
    ConnectionSettings settings(settingsFile());
    QVERIFY(settings.save(QUrl(QStringLiteral("http://gw:1")), Token, true));
    QCOMPARE(settings.load().token, Token);

    QVERIFY(settings.save(QUrl(QStringLiteral("http://gw:2")), Token, false));
    const ConnectionSettings::Stored stored = settings.load();
    QCOMPARE(stored.url, QUrl(QStringLiteral("http://gw:2")));
    QVERIFY(stored.token.isEmpty());
    QVERIFY(!stored.rememberToken);
}

QTEST_GUILESS_MAIN(TestConsoleConnection)
#include "tst_consoleconnection.moc"
