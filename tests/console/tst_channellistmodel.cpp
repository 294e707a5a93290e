#include "fakeadminapi.h"

#include <channellistmodel.h>
#include <channelrow.h>
#include <channelscontroller.h>
#include <cursorpager.h>

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace gw::console;
using gw::console::testing::FakeAdminApi;

namespace {

// What GET /admin/v1/channels answers for a small installation: a disabled
// channel, one without a secret, a null timeout, several types, and a field
// this console does not know yet.
const QByteArray RealisticPage = R"({
  "data": [
    {"id": "ch_01", "name": "openai-main", "provider": "openai", "base_url": "https://api.openai.com",
     "secret_set": true, "types": ["chat", "embeddings"], "priority": 10, "weight": 1,
     "timeout_ms": null, "enabled": true, "config": {},
     "created_at": "2026-11-21T12:00:00Z", "updated_at": "2026-11-21T12:30:00Z"},
    {"id": "ch_02", "name": "anthropic-eu", "provider": "anthropic", "base_url": "https://api.anthropic.com",
     "secret_set": false, "types": ["chat"], "priority": 5, "weight": 3,
     "timeout_ms": 120000, "enabled": false, "config": {"headers": {"anthropic-version": "2023-06-01"}},
     "created_at": "2026-11-20T08:00:00Z", "updated_at": "2026-11-21T09:15:00Z", "last_error": "quota"},
    {"id": "ch_03", "name": "kie-media", "provider": "kie", "base_url": "https://api.kie.ai",
     "secret_set": true, "types": ["image", "video", "music"], "priority": 100, "weight": 20,
     "timeout_ms": 600000, "enabled": true, "config": {},
     "created_at": "2026-11-19T18:45:00+01:00", "updated_at": "2026-11-19T18:45:00+01:00"}
  ],
  "next_cursor": null
})";

QJsonObject channel(const QString &id, const QString &name, qint64 priority = 0)
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("provider"), QStringLiteral("openai")},
        {QStringLiteral("base_url"), QStringLiteral("https://api.openai.com")},
        {QStringLiteral("secret_set"), true},
        {QStringLiteral("types"), QJsonArray{QStringLiteral("chat")}},
        {QStringLiteral("priority"), double(priority)},
        {QStringLiteral("weight"), 1},
        {QStringLiteral("timeout_ms"), QJsonValue::Null},
        {QStringLiteral("enabled"), true},
        {QStringLiteral("config"), QJsonObject()},
    };
}

QList<ChannelRow> realisticRows()
{
    gw::FieldErrors errors;
    const QJsonArray data = QJsonDocument::fromJson(RealisticPage).object().value(QStringLiteral("data")).toArray();
    return ChannelRow::listFromJson(data, errors);
}

QVariant cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role);
}

} // namespace

class TestChannelListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesRealisticPage();
    void rejectsUnreadableEntries();
    void showsEveryColumn();
    void sortsNumbersAsNumbers();
    void passesModelTester();
    void controllerMergesPages();
    void controllerDropsDuplicatesAcrossPages();
    void controllerExposes401();
    void failedRefreshKeepsLastList();
    void reportsUnreachableDaemon();
    void rejectsAnswerThatIsNotAList();
    void stopsOnRepeatedCursor();
    void ignoresRepliesOfAnAbandonedRefresh();
    void reportsSkippedEntries();
    void buildsPagePaths();
};

void TestChannelListModel::parsesRealisticPage()
{
    gw::FieldErrors errors;
    const QJsonArray data = QJsonDocument::fromJson(RealisticPage).object().value(QStringLiteral("data")).toArray();
    const QList<ChannelRow> rows = ChannelRow::listFromJson(data, errors);

    QVERIFY2(errors.isEmpty(), qPrintable(errors.summary()));
    QCOMPARE(rows.size(), 3);

    const ChannelRow &openai = rows.at(0);
    QCOMPARE(openai.id, QStringLiteral("ch_01"));
    QCOMPARE(openai.name, QStringLiteral("openai-main"));
    QCOMPARE(openai.provider, QStringLiteral("openai"));
    QCOMPARE(openai.baseUrl, QStringLiteral("https://api.openai.com"));
    QCOMPARE(openai.types, (QStringList{QStringLiteral("chat"), QStringLiteral("embeddings")}));
    QCOMPARE(openai.priority, 10);
    QCOMPARE(openai.weight, 1);
    QVERIFY(!openai.timeoutMs.has_value());
    QVERIFY(openai.enabled);
    QVERIFY(openai.secretSet);
    QCOMPARE(openai.createdAt, QDateTime(QDate(2026, 11, 21), QTime(12, 0), Qt::UTC));

    const ChannelRow &anthropic = rows.at(1);
    QVERIFY(!anthropic.enabled);
    QVERIFY(!anthropic.secretSet);
    QCOMPARE(anthropic.timeoutMs, std::optional<qint64>(120000));

    // Timestamps with an offset come out in UTC.
    QCOMPARE(rows.at(2).createdAt, QDateTime(QDate(2026, 11, 19), QTime(17, 45), Qt::UTC));
}

void TestChannelListModel::rejectsUnreadableEntries()
{
    QJsonObject noName = channel(QStringLiteral("ch_2"), QStringLiteral("x"));
    noName.remove(QStringLiteral("name"));
    QJsonObject badPriority = channel(QStringLiteral("ch_3"), QStringLiteral("y"));
    badPriority.insert(QStringLiteral("priority"), QStringLiteral("high"));
    const QJsonArray data{channel(QStringLiteral("ch_1"), QStringLiteral("ok")), noName, badPriority, 42};

    gw::FieldErrors errors;
    const QList<ChannelRow> rows = ChannelRow::listFromJson(data, errors);

    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).id, QStringLiteral("ch_1"));
    QCOMPARE(errors.entries().size(), 3);
    QCOMPARE(errors.entries().at(0).field, QStringLiteral("data[1].name"));
    QCOMPARE(errors.entries().at(1).field, QStringLiteral("data[2].priority"));
    QCOMPARE(errors.entries().at(2).field, QStringLiteral("data[3]"));
}

void TestChannelListModel::showsEveryColumn()
{
    ChannelListModel model;
    model.setRows(realisticRows());

    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 8);

    const QStringList headers{
        QStringLiteral("Name"), QStringLiteral("Provider"), QStringLiteral("Base URL"), QStringLiteral("Types"),
        QStringLiteral("Priority"), QStringLiteral("Weight"), QStringLiteral("Enabled"), QStringLiteral("Secret"),
    };
    for (int c = 0; c < headers.size(); ++c)
        QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), headers.at(c));

    QCOMPARE(cell(model, 0, ChannelListModel::NameColumn).toString(), QStringLiteral("openai-main"));
    QCOMPARE(cell(model, 0, ChannelListModel::ProviderColumn).toString(), QStringLiteral("openai"));
    QCOMPARE(cell(model, 0, ChannelListModel::BaseUrlColumn).toString(), QStringLiteral("https://api.openai.com"));
    QCOMPARE(cell(model, 0, ChannelListModel::TypesColumn).toString(), QStringLiteral("chat, embeddings"));
    QCOMPARE(cell(model, 0, ChannelListModel::PriorityColumn).toLongLong(), 10);
    QCOMPARE(cell(model, 0, ChannelListModel::WeightColumn).toLongLong(), 1);
    QCOMPARE(cell(model, 0, ChannelListModel::EnabledColumn).toString(), QStringLiteral("Yes"));
    QCOMPARE(cell(model, 0, ChannelListModel::SecretColumn).toString(), QStringLiteral("Set"));

    QCOMPARE(cell(model, 1, ChannelListModel::TypesColumn).toString(), QStringLiteral("chat"));
    QCOMPARE(cell(model, 1, ChannelListModel::EnabledColumn).toString(), QStringLiteral("No"));
    QCOMPARE(cell(model, 1, ChannelListModel::SecretColumn).toString(), QStringLiteral("Not set"));
    QCOMPARE(cell(model, 2, ChannelListModel::TypesColumn).toString(), QStringLiteral("image, video, music"));

    QCOMPARE(cell(model, 1, ChannelListModel::NameColumn, ChannelListModel::IdRole).toString(), QStringLiteral("ch_02"));
    QCOMPARE(model.rowOfId(QStringLiteral("ch_03")), 2);
    QCOMPARE(model.rowOfId(QStringLiteral("nope")), -1);
    // A disabled channel is drawn greyed out; an enabled one in the default colour.
    QVERIFY(cell(model, 1, ChannelListModel::NameColumn, Qt::ForegroundRole).isValid());
    QVERIFY(!cell(model, 0, ChannelListModel::NameColumn, Qt::ForegroundRole).isValid());
    QVERIFY(!model.index(0, 0).flags().testFlag(Qt::ItemIsEditable));
}

void TestChannelListModel::sortsNumbersAsNumbers()
{
    ChannelListModel model;
    model.setRows(realisticRows());
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ChannelListModel::SortRole);

    // As text, "100" would sort before "5".
    proxy.sort(ChannelListModel::PriorityColumn, Qt::AscendingOrder);
    QCOMPARE(cell(proxy, 0, ChannelListModel::NameColumn).toString(), QStringLiteral("anthropic-eu"));
    QCOMPARE(cell(proxy, 1, ChannelListModel::NameColumn).toString(), QStringLiteral("openai-main"));
    QCOMPARE(cell(proxy, 2, ChannelListModel::NameColumn).toString(), QStringLiteral("kie-media"));

    proxy.setFilterKeyColumn(-1);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterFixedString(QStringLiteral("VIDEO"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(cell(proxy, 0, ChannelListModel::NameColumn).toString(), QStringLiteral("kie-media"));
}

void TestChannelListModel::passesModelTester()
{
    ChannelListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows(realisticRows());
    QVERIFY(!QTest::currentTestFailed());
    model.setRows(realisticRows().mid(1));
    model.clear();
    model.setRows(realisticRows());
    QCOMPARE(model.rowCount(), 3);
}

void TestChannelListModel::controllerMergesPages()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    QSignalSpy loaded(&controller, &ChannelsController::loaded);
    QSignalSpy loading(&controller, &ChannelsController::loadingChanged);

    controller.refresh();
    QVERIFY(controller.isLoading());
    QCOMPARE(api.pendingCount(), 1);
    QCOMPARE(api.pendingPath(), QStringLiteral("/channels"));

    const QString cursor = QStringLiteral("eyJpZCI6ImNoXzAyIn0+/=");
    api.respond(FakeAdminApi::ok(FakeAdminApi::page(
        {channel(QStringLiteral("ch_1"), QStringLiteral("alpha"), 1), channel(QStringLiteral("ch_2"), QStringLiteral("beta"), 2)},
        cursor)));
    // The second page goes out with the cursor, escaped; the table waits for it.
    QCOMPARE(api.pendingCount(), 1);
    QCOMPARE(api.pendingPath(), QStringLiteral("/channels?cursor=eyJpZCI6ImNoXzAyIn0%2B%2F%3D"));
    QCOMPARE(controller.model()->rowCount(), 0);
    QVERIFY(controller.isLoading());

    api.respond(FakeAdminApi::ok(FakeAdminApi::page({channel(QStringLiteral("ch_3"), QStringLiteral("gamma"), 3)})));

    QCOMPARE(api.pendingCount(), 0);
    QVERIFY(!controller.isLoading());
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.at(0).at(0).toInt(), 3);
    QCOMPARE(loading.size(), 2);
    QCOMPARE(loading.at(0).at(0).toBool(), true);
    QCOMPARE(loading.at(1).at(0).toBool(), false);

    const ChannelListModel *model = controller.model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->rowAt(0).name, QStringLiteral("alpha"));
    QCOMPARE(model->rowAt(1).name, QStringLiteral("beta"));
    QCOMPARE(model->rowAt(2).name, QStringLiteral("gamma"));
    QVERIFY(!controller.error().isSet());
    QVERIFY(controller.warning().isEmpty());
    QVERIFY(controller.lastLoaded().isValid());
}

void TestChannelListModel::controllerDropsDuplicatesAcrossPages()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    controller.refresh();
    api.respond(FakeAdminApi::ok(FakeAdminApi::page(
        {channel(QStringLiteral("ch_1"), QStringLiteral("a")), channel(QStringLiteral("ch_2"), QStringLiteral("b"))},
        QStringLiteral("next"))));
    api.respond(FakeAdminApi::ok(FakeAdminApi::page(
        {channel(QStringLiteral("ch_2"), QStringLiteral("b")), channel(QStringLiteral("ch_3"), QStringLiteral("c"))})));

    QCOMPARE(controller.model()->rowCount(), 3);
    QCOMPARE(controller.model()->rowAt(2).id, QStringLiteral("ch_3"));
}

void TestChannelListModel::controllerExposes401()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    QSignalSpy errorChanged(&controller, &ChannelsController::errorChanged);
    QSignalSpy loaded(&controller, &ChannelsController::loaded);

    controller.refresh();
    api.respond(FakeAdminApi::apiError(401, QStringLiteral("invalid admin token"), QStringLiteral("authentication_error")));

    QVERIFY(!controller.isLoading());
    QCOMPARE(loaded.size(), 0);
    QCOMPARE(errorChanged.size(), 1);
    const RequestError error = controller.error();
    QVERIFY(error.isSet());
    QCOMPARE(error.status(), 401);
    QCOMPARE(error.message(), QStringLiteral("invalid admin token"));
    QCOMPARE(error.displayText(), QStringLiteral("HTTP 401: invalid admin token"));
    QCOMPARE(errorChanged.at(0).at(0).value<RequestError>(), error);

    // The next successful refresh clears it.
    controller.refresh();
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({})));
    QVERIFY(!controller.error().isSet());
    QCOMPARE(errorChanged.size(), 2);
}

void TestChannelListModel::failedRefreshKeepsLastList()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    controller.refresh();
    api.respond(FakeAdminApi::ok(RealisticPage));
    QCOMPARE(controller.model()->rowCount(), 3);

    controller.refresh();
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({channel(QStringLiteral("ch_9"), QStringLiteral("new"))},
                                                    QStringLiteral("more"))));
    api.respond(FakeAdminApi::apiError(500, QStringLiteral("database is locked"), QStringLiteral("server_error")));

    QCOMPARE(controller.model()->rowCount(), 3);
    QCOMPARE(controller.model()->rowAt(0).id, QStringLiteral("ch_01"));
    QCOMPARE(controller.error().status(), 500);
    QCOMPARE(controller.error().displayText(), QStringLiteral("HTTP 500: database is locked"));

    // clear() is for a switch to another daemon: everything goes.
    controller.clear();
    QCOMPARE(controller.model()->rowCount(), 0);
    QVERIFY(!controller.error().isSet());
    QVERIFY(!controller.lastLoaded().isValid());
}

void TestChannelListModel::reportsUnreachableDaemon()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    controller.refresh();
    api.respond(FakeAdminApi::unreachable(QStringLiteral("Connection refused")));

    QCOMPARE(controller.error().status(), 0);
    QCOMPARE(controller.error().displayText(), QStringLiteral("Cannot reach the daemon: Connection refused"));
}

void TestChannelListModel::rejectsAnswerThatIsNotAList()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    controller.refresh();
    api.respond(FakeAdminApi::ok(QByteArrayLiteral(R"({"id": "ch_1"})")));

    QVERIFY(controller.error().isSet());
    QCOMPARE(controller.error().status(), 200);
    QVERIFY(!controller.isLoading());
}

void TestChannelListModel::stopsOnRepeatedCursor()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    controller.refresh();
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({channel(QStringLiteral("ch_1"), QStringLiteral("a"))}, QStringLiteral("c1"))));
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({channel(QStringLiteral("ch_2"), QStringLiteral("b"))}, QStringLiteral("c1"))));

    QCOMPARE(api.pendingCount(), 0);
    QVERIFY(controller.error().isSet());
    QVERIFY(!controller.isLoading());
}

void TestChannelListModel::ignoresRepliesOfAnAbandonedRefresh()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    QSignalSpy loaded(&controller, &ChannelsController::loaded);

    controller.refresh();
    controller.refresh();
    QCOMPARE(api.pendingCount(), 2);

    // The answer to the first request arrives late; it must not count.
    api.respondAt(0, FakeAdminApi::ok(FakeAdminApi::page({channel(QStringLiteral("old"), QStringLiteral("old"))})));
    QCOMPARE(loaded.size(), 0);
    QVERIFY(controller.isLoading());

    api.respond(FakeAdminApi::ok(FakeAdminApi::page({channel(QStringLiteral("new"), QStringLiteral("new"))})));
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(controller.model()->rowCount(), 1);
    QCOMPARE(controller.model()->rowAt(0).id, QStringLiteral("new"));
}

void TestChannelListModel::reportsSkippedEntries()
{
    FakeAdminApi api;
    ChannelsController controller(&api);
    QJsonObject broken = channel(QStringLiteral("ch_2"), QStringLiteral("b"));
    broken.insert(QStringLiteral("enabled"), QStringLiteral("yes"));
    controller.refresh();
    api.respond(FakeAdminApi::ok(FakeAdminApi::page({channel(QStringLiteral("ch_1"), QStringLiteral("a")), broken})));

    QCOMPARE(controller.model()->rowCount(), 1);
    QVERIFY(!controller.error().isSet());
    QVERIFY2(controller.warning().contains(QStringLiteral("data[1].enabled")), qPrintable(controller.warning()));
}

void TestChannelListModel::buildsPagePaths()
{
    QCOMPARE(CursorPager::pagePath(QStringLiteral("/channels"), QString()), QStringLiteral("/channels"));
    QCOMPARE(CursorPager::pagePath(QStringLiteral("/channels"), QStringLiteral("a b")), QStringLiteral("/channels?cursor=a%20b"));
    QCOMPARE(CursorPager::pagePath(QStringLiteral("/channels?enabled=true"), QStringLiteral("x")),
             QStringLiteral("/channels?enabled=true&cursor=x"));
}

QTEST_MAIN(TestChannelListModel)
#include "tst_channellistmodel.moc"
