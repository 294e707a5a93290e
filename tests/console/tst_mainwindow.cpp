#include "fakeadminapi.h"

#include <channellistmodel.h>
#include <channelscontroller.h>
#include <channelspage.h>
#include <commandlineoptions.h>
#include <connectionbar.h>
#include <connectioncontroller.h>
#include <connectionsettings.h>
#include <console.h>
#include <mainwindow.h>

#include <QCheckBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace gw::console;
using gw::console::testing::FakeAdminApi;

namespace {

QJsonObject channel(const QString &id, const QString &name, const QString &provider, qint64 priority)
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("provider"), provider},
        {QStringLiteral("base_url"), QStringLiteral("https://api.example.com")},
        {QStringLiteral("secret_set"), true},
        {QStringLiteral("types"), QJsonArray{QStringLiteral("chat")}},
        {QStringLiteral("priority"), double(priority)},
        {QStringLiteral("weight"), 1},
        {QStringLiteral("enabled"), true},
    };
}

CommandLineOptions options(const QString &url, const QString &token)
{
    CommandLineOptions o;
    o.url = url;
    o.token = token;
    return o;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void listsAreasWithOnlyChannelsEnabled();
    void connectsAtStartAndShows401();
    void showsChannelsAfterConnecting();
    void filtersAndSortsTheTable();
    void connectButtonUsesTheBar();
    void prefillsFromSettingsWithoutConnecting();

private:
    ChannelsPage *channelsPage() const
    {
        return qobject_cast<ChannelsPage *>(m_console->window()->page(MainWindow::Area::Channels));
    }

    QTemporaryDir m_dir;
    std::unique_ptr<FakeAdminApi> m_api;
    std::unique_ptr<ConnectionSettings> m_settings;
    std::unique_ptr<Console> m_console;
};

void TestMainWindow::init()
{
    QFile::remove(m_dir.filePath(QStringLiteral("console.conf")));
    m_api = std::make_unique<FakeAdminApi>();
    m_settings = std::make_unique<ConnectionSettings>(m_dir.filePath(QStringLiteral("console.conf")));
    m_console = std::make_unique<Console>(m_api.get(), m_settings.get());
}

void TestMainWindow::cleanup()
{
    m_console.reset();
    m_settings.reset();
    m_api.reset();
}

void TestMainWindow::listsAreasWithOnlyChannelsEnabled()
{
    MainWindow *window = m_console->window();
    QCOMPARE(window->windowTitle(), QStringLiteral("Gateway Console"));

    const QListWidget *nav = window->navigation();
    const QStringList expected{
        QStringLiteral("Channels"), QStringLiteral("Models"), QStringLiteral("Users"), QStringLiteral("Usage"),
        QStringLiteral("Tasks"), QStringLiteral("Statistics"), QStringLiteral("Gallery"),
    };
    QCOMPARE(nav->count(), expected.size());
    for (int i = 0; i < nav->count(); ++i) {
        QCOMPARE(nav->item(i)->text(), expected.at(i));
        QCOMPARE(nav->item(i)->flags().testFlag(Qt::ItemIsEnabled), i == 0);
    }
    QCOMPARE(nav->currentRow(), 0);
    QCOMPARE(window->stack()->currentWidget(), channelsPage());
    QVERIFY(window->connectionBar()->tokenEdit()->echoMode() == QLineEdit::Password);
}

void TestMainWindow::connectsAtStartAndShows401()
{
    m_console->start(options(QStringLiteral("http://127.0.0.1:9"), QStringLiteral("x")));
    QCOMPARE(m_api->pendingCount(), 1);
    QCOMPARE(m_api->pendingPath(), QStringLiteral("/channels"));
    QCOMPARE(m_api->token, QStringLiteral("x"));

    m_api->respond(FakeAdminApi::apiError(401, QStringLiteral("invalid admin token"), QStringLiteral("authentication_error")));

    const QString status = m_console->window()->connectionLabel()->text();
    QVERIFY2(status.contains(QStringLiteral("HTTP 401: invalid admin token")), qPrintable(status));
    QVERIFY(!channelsPage()->messageLabel()->isHidden());
    QVERIFY2(channelsPage()->messageLabel()->text().contains(QStringLiteral("invalid admin token")),
             qPrintable(channelsPage()->messageLabel()->text()));
    QVERIFY(channelsPage()->refreshButton()->isEnabled());
}

void TestMainWindow::showsChannelsAfterConnecting()
{
    m_console->start(options(QStringLiteral("http://gw:8080"), QStringLiteral("tok")));
    m_api->respond(FakeAdminApi::ok(FakeAdminApi::page({
        channel(QStringLiteral("ch_1"), QStringLiteral("openai-main"), QStringLiteral("openai"), 10),
        channel(QStringLiteral("ch_2"), QStringLiteral("anthropic"), QStringLiteral("anthropic"), 5),
    })));

    QCOMPARE(channelsPage()->table()->model()->rowCount(), 2);
    QVERIFY(channelsPage()->messageLabel()->isHidden());
    QCOMPARE(m_console->connection()->state(), ConnectionController::State::Connected);
    QCOMPARE(m_console->window()->connectionLabel()->text(), QStringLiteral("Connected to http://gw:8080"));
    QVERIFY(channelsPage()->summaryLabel()->text().startsWith(QStringLiteral("Channels: 2")));

    // F5 reloads the page in view.
    m_console->window()->reloadCurrentPage();
    QCOMPARE(m_api->pendingCount(), 1);
    QVERIFY(!channelsPage()->refreshButton()->isEnabled());
}

void TestMainWindow::filtersAndSortsTheTable()
{
    m_console->start(options(QStringLiteral("http://gw:8080"), QStringLiteral("tok")));
    m_api->respond(FakeAdminApi::ok(FakeAdminApi::page({
        channel(QStringLiteral("ch_1"), QStringLiteral("zeta"), QStringLiteral("openai"), 10),
        channel(QStringLiteral("ch_2"), QStringLiteral("alpha"), QStringLiteral("anthropic"), 9),
        channel(QStringLiteral("ch_3"), QStringLiteral("mid"), QStringLiteral("openai"), 100),
    })));

    QTableView *table = channelsPage()->table();
    // Sorted by name at first.
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("alpha"));

    table->sortByColumn(ChannelListModel::PriorityColumn, Qt::DescendingOrder);
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("mid"));
    QCOMPARE(table->model()->index(2, 0).data().toString(), QStringLiteral("alpha"));

    QTest::keyClicks(channelsPage()->filterEdit(), QStringLiteral("OPENAI"));
    QCOMPARE(table->model()->rowCount(), 2);
    QVERIFY2(channelsPage()->summaryLabel()->text().startsWith(QStringLiteral("Showing 2 of 3 channels")),
             qPrintable(channelsPage()->summaryLabel()->text()));
}

void TestMainWindow::connectButtonUsesTheBar()
{
    ConnectionBar *bar = m_console->window()->connectionBar();
    bar->urlEdit()->setText(QStringLiteral("gw:1234"));
    bar->tokenEdit()->setText(QStringLiteral("typed-token"));
    QTest::mouseClick(bar->connectButton(), Qt::LeftButton);

    QCOMPARE(m_api->baseUrl, QUrl(QStringLiteral("http://gw:1234")));
    QCOMPARE(m_api->token, QStringLiteral("typed-token"));
    QCOMPARE(m_api->pendingCount(), 1);
    QVERIFY(m_console->window()->connectionLabel()->text().contains(QStringLiteral("Connecting")));
}

void TestMainWindow::prefillsFromSettingsWithoutConnecting()
{
    QVERIFY(m_settings->save(QUrl(QStringLiteral("http://stored:1")), QString(), false));
    m_console->start(CommandLineOptions());

    ConnectionBar *bar = m_console->window()->connectionBar();
    QCOMPARE(bar->url(), QStringLiteral("http://stored:1"));
    QVERIFY(bar->token().isEmpty());
    QVERIFY(!bar->rememberToken());
    // No token, no request.
    QCOMPARE(m_api->pendingCount(), 0);
    QCOMPARE(m_console->connection()->state(), ConnectionController::State::Disconnected);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
