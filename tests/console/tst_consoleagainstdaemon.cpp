#include "adminclientapi.h"
#include "channellistmodel.h"
#include "channelscontroller.h"
#include "commandlineoptions.h"
#include "connectioncontroller.h"
#include "connectionsettings.h"
#include "console.h"
#include "harness/daemonprocess.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace gw::console;
using gw::test::DaemonProcess;

// The console's first window against a real gatewayd: it connects with the
// daemon's admin token and lists the channels an operator created.
class TestConsoleAgainstDaemon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsTheDaemonsChannels()
    {
        DaemonProcess daemon;
        QString error;
        QVERIFY2(daemon.start(&error), qPrintable(error));
        for (const char *name : {"openai-main", "anthropic-eu"}) {
            QJsonObject body{{QStringLiteral("name"), QLatin1String(name)},
                             {QStringLiteral("provider"), QString::fromLatin1(name).section(QLatin1Char('-'), 0, 0)},
                             {QStringLiteral("base_url"), QStringLiteral("https://upstream.example")},
                             {QStringLiteral("secret"), QStringLiteral("sk-never-shown-1234567890")}};
            QCOMPARE(daemon.admin("POST", QStringLiteral("/channels"), body).status, 201);
        }

        QTemporaryDir dir;
        AdminClientApi network;
        ConnectionSettings settings(dir.filePath(QStringLiteral("console.conf")));
        Console console(&network, &settings);
        const CommandLineOptions options = CommandLineOptions::parse(
            {QStringLiteral("gateway-console"), QStringLiteral("--url"), daemon.url(QString()).toString(),
             QStringLiteral("--token"), QString::fromLatin1(daemon.adminToken())},
            QProcessEnvironment());
        QVERIFY(options.isValid());
        console.start(options);
        console.channels()->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(console.channels()->model()->rowCount(), 2, 10000);
        QStringList names;
        for (int row = 0; row < 2; ++row)
            names.append(console.channels()->model()->index(row, 0).data().toString());
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("anthropic-eu"), QStringLiteral("openai-main")}));
        QVERIFY(!console.channels()->error().isSet());

        // A wrong token is reported, not shown as an empty list.
        Console wrong(&network, &settings);
        wrong.start(CommandLineOptions::parse({QStringLiteral("gateway-console"), QStringLiteral("--url"),
                                               daemon.url(QString()).toString(), QStringLiteral("--token"),
                                               QStringLiteral("gwa_wrong")},
                                              QProcessEnvironment()));
        wrong.channels()->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(wrong.channels()->error().status(), 401, 10000);
    }
};

QTEST_MAIN(TestConsoleAgainstDaemon)
#include "tst_consoleagainstdaemon.moc"
