#include "harness/daemonprocess.h"
#include "harness/jsonobject.h"
#include "harness/testdatabase.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

using namespace gw::test;

namespace {

QString idOf(const HttpResult &r)
{
    return r.json().value(QStringLiteral("id")).toString();
}

QString errorParam(const HttpResult &r)
{
    return r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("param")).toString();
}

// Every byte under a directory, the SQLite WAL and journal included.
bool directoryContains(const QString &dir, const QByteArray &needle)
{
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestAdminApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DaemonProcess> m_daemon;

    DaemonProcess &d() { return *m_daemon; }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const QString &dialect : TestDatabase::dialects())
            QTest::newRow(qPrintable(dialect)) << dialect;
    }

    void init()
    {
        QFETCH_GLOBAL(QString, dialect);
        m_daemon.reset();
        m_db = std::make_unique<TestDatabase>(dialect);
        QVERIFY2(m_db->isValid(), qPrintable(m_db->error()));
        DaemonProcess::Options options;
        if (dialect == QLatin1String("postgres"))
            options.database = m_db->url();
        m_daemon = std::make_unique<DaemonProcess>(options);
        QString error;
        QVERIFY2(m_daemon->start(&error), qPrintable(error));
    }

    void cleanup()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->stop(), 0);
        m_daemon.reset();
        m_db.reset();
    }

    void channelsAreCreatedReadChangedAndDeleted()
    {
        const QString secret = QStringLiteral("sk-live-upstream-secret-4242424242");
        auto created = d().admin("POST", QStringLiteral("/channels"),
                                 obj({{QStringLiteral("name"), QStringLiteral("openai-main")},
                                      {QStringLiteral("provider"), QStringLiteral("openai")},
                                      {QStringLiteral("base_url"), QStringLiteral("https://api.openai.com/")},
                                      {QStringLiteral("secret"), secret},
                                      {QStringLiteral("types"), QJsonArray{QStringLiteral("chat"), QStringLiteral("embeddings")}},
                                      {QStringLiteral("priority"), 10},
                                      {QStringLiteral("weight"), 1}}));
        QCOMPARE(created.status, 201);
        const QJsonObject channel = created.json();
        const QString id = channel.value(QStringLiteral("id")).toString();
        QVERIFY(id.startsWith(QStringLiteral("ch_")));
        QCOMPARE(channel.value(QStringLiteral("secret_set")).toBool(), true);
        QCOMPARE(channel.value(QStringLiteral("base_url")).toString(), QStringLiteral("https://api.openai.com"));
        QVERIFY(!created.body.contains(secret.toLatin1()));
        QVERIFY(!created.header("x-request-id").isEmpty());

        const auto read = d().admin("GET", QStringLiteral("/channels/") + id);
        QCOMPARE(read.status, 200);
        QVERIFY(!read.body.contains(secret.toLatin1()));
        QCOMPARE(read.json().value(QStringLiteral("priority")).toInt(), 10);

        auto patched = d().admin("PATCH", QStringLiteral("/channels/") + id,
                                 obj({{QStringLiteral("priority"), 20}, {QStringLiteral("secret_ref"), QStringLiteral("env:NOT_SET_ANYWHERE")}}));
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json().value(QStringLiteral("priority")).toInt(), 20);
        QCOMPARE(patched.json().value(QStringLiteral("secret_ref")).toString(), QStringLiteral("env:NOT_SET_ANYWHERE"));
        QVERIFY(!patched.json().value(QStringLiteral("secret_problem")).toString().isEmpty());

        QCOMPARE(d().admin("POST", QStringLiteral("/channels"),
                           obj({{QStringLiteral("name"), QStringLiteral("openai-main")}, {QStringLiteral("provider"), QStringLiteral("openai")},
                                {QStringLiteral("base_url"), QStringLiteral("https://x")}})).status, 409);
        const auto unknownProvider = d().admin("POST", QStringLiteral("/channels"),
                                               obj({{QStringLiteral("name"), QStringLiteral("x")}, {QStringLiteral("provider"), QStringLiteral("cohere")},
                                                    {QStringLiteral("base_url"), QStringLiteral("https://x")}}));
        QCOMPARE(unknownProvider.status, 400);
        QCOMPARE(errorParam(unknownProvider), QStringLiteral("provider"));

        QCOMPARE(d().admin("DELETE", QStringLiteral("/channels/") + id).status, 200);
        QCOMPARE(d().admin("GET", QStringLiteral("/channels/") + id).status, 404);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/channels/") + id).status, 404);
    }

    void listsPageWithCursors()
    {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(d().admin("POST", QStringLiteral("/channels"),
                               obj({{QStringLiteral("name"), QStringLiteral("c%1").arg(i)}, {QStringLiteral("provider"), QStringLiteral("openai")},
                                    {QStringLiteral("base_url"), QStringLiteral("https://x")}})).status, 201);
        QStringList seen;
        QString cursor;
        int pages = 0;
        do {
            const auto page = d().admin("GET", QStringLiteral("/channels?limit=2") + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            QCOMPARE(page.status, 200);
            for (const QJsonValue &c : page.json().value(QStringLiteral("data")).toArray())
                seen.append(c.toObject().value(QStringLiteral("name")).toString());
            cursor = page.json().value(QStringLiteral("next_cursor")).toString();
            ++pages;
        } while (!cursor.isEmpty() && pages < 10);
        QCOMPARE(seen, (QStringList{QStringLiteral("c0"), QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c3"), QStringLiteral("c4")}));
        QCOMPARE(pages, 3);
        QCOMPARE(d().admin("GET", QStringLiteral("/channels?limit=0")).status, 400);
    }

    void modelsValidateTheirRoutesAndFallbacks()
    {
        const QString ch = idOf(d().admin("POST", QStringLiteral("/channels"),
                                          obj({{QStringLiteral("name"), QStringLiteral("main")}, {QStringLiteral("provider"), QStringLiteral("openai")},
                                               {QStringLiteral("base_url"), QStringLiteral("https://x")},
                                               {QStringLiteral("types"), QJsonArray{QStringLiteral("chat")}}})));
        auto created = d().admin("POST", QStringLiteral("/models"),
                                 obj({{QStringLiteral("id"), QStringLiteral("gpt-4o-mini")}, {QStringLiteral("type"), QStringLiteral("chat")},
                                      {QStringLiteral("pricing"), obj({{QStringLiteral("input_per_mtok"), 0.15}, {QStringLiteral("output_per_mtok"), 0.6}})},
                                      {QStringLiteral("routes"), QJsonArray{obj({{QStringLiteral("channel"), QStringLiteral("main")}})}},
                                      {QStringLiteral("fallback"), obj({{QStringLiteral("on"), QJsonArray{QStringLiteral("timeout"), QStringLiteral("5xx")}}})}}));
        QCOMPARE(created.status, 201);
        const QJsonObject route = created.json().value(QStringLiteral("routes")).toArray().first().toObject();
        QCOMPARE(route.value(QStringLiteral("channel")).toString(), ch);  // a name resolves to the id
        QCOMPARE(route.value(QStringLiteral("upstream_model")).toString(), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(created.json().value(QStringLiteral("pricing")).toObject().value(QStringLiteral("input_per_mtok")).toDouble(), 0.15);

        const auto badRoute = d().admin("POST", QStringLiteral("/models"),
                                        obj({{QStringLiteral("id"), QStringLiteral("m2")}, {QStringLiteral("type"), QStringLiteral("chat")},
                                             {QStringLiteral("routes"), QJsonArray{obj({{QStringLiteral("channel"), QStringLiteral("ch_missing")}})}}}));
        QCOMPARE(badRoute.status, 400);
        QCOMPARE(errorParam(badRoute), QStringLiteral("routes[0].channel"));
        const auto wrongType = d().admin("POST", QStringLiteral("/models"),
                                         obj({{QStringLiteral("id"), QStringLiteral("emb")}, {QStringLiteral("type"), QStringLiteral("embeddings")},
                                              {QStringLiteral("routes"), QJsonArray{obj({{QStringLiteral("channel"), ch}})}}}));
        QCOMPARE(wrongType.status, 400);
        QCOMPARE(errorParam(wrongType), QStringLiteral("routes[0].channel"));
        const auto badFallback = d().admin("POST", QStringLiteral("/models"),
                                           obj({{QStringLiteral("id"), QStringLiteral("m3")}, {QStringLiteral("type"), QStringLiteral("chat")},
                                                {QStringLiteral("fallback"), obj({{QStringLiteral("models"), QJsonArray{QStringLiteral("nope")}}})}}));
        QCOMPARE(badFallback.status, 400);
        QCOMPARE(errorParam(badFallback), QStringLiteral("fallback.models[0]"));
        const auto tooPrecise = d().admin("POST", QStringLiteral("/models"),
                                          obj({{QStringLiteral("id"), QStringLiteral("m4")}, {QStringLiteral("type"), QStringLiteral("chat")},
                                               {QStringLiteral("pricing"), obj({{QStringLiteral("input_per_mtok"), 0.0000001}})}}));
        QCOMPARE(tooPrecise.status, 400);
        QCOMPARE(errorParam(tooPrecise), QStringLiteral("pricing.input_per_mtok"));
        QCOMPARE(d().admin("POST", QStringLiteral("/models"), obj({{QStringLiteral("id"), QStringLiteral("gpt-4o-mini")}, {QStringLiteral("type"), QStringLiteral("chat")}})).status, 409);

        // A channel in use cannot be deleted; the model can, and then the channel.
        QCOMPARE(d().admin("DELETE", QStringLiteral("/channels/") + ch).status, 409);
        const auto patched = d().admin("PATCH", QStringLiteral("/models/gpt-4o-mini"),
                                       obj({{QStringLiteral("pricing"), obj({{QStringLiteral("output_per_mtok"), 1.2}})}}));
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json().value(QStringLiteral("pricing")).toObject().value(QStringLiteral("input_per_mtok")).toDouble(), 0.15);
        QCOMPARE(patched.json().value(QStringLiteral("pricing")).toObject().value(QStringLiteral("output_per_mtok")).toDouble(), 1.2);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/models/gpt-4o-mini")).status, 200);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/channels/") + ch).status, 200);
    }

    void usersGetCreditsExactlyOnce()
    {
        auto user = d().admin("POST", QStringLiteral("/users"), obj({{QStringLiteral("email"), QStringLiteral("a@example.com")}, {QStringLiteral("credits"), 100}}));
        QCOMPARE(user.status, 201);
        const QString id = idOf(user);
        QCOMPARE(user.json().value(QStringLiteral("balance")).toDouble(), 100.0);
        QCOMPARE(user.json().value(QStringLiteral("held")).toDouble(), 0.0);
        QCOMPARE(user.json().value(QStringLiteral("available")).toDouble(), 100.0);
        QCOMPARE(d().admin("POST", QStringLiteral("/users"), obj({{QStringLiteral("email"), QStringLiteral("A@example.com")}})).status, 409);

        const QJsonObject topUp = obj({{QStringLiteral("amount"), 25.5}, {QStringLiteral("reason"), QStringLiteral("top-up")},
                                       {QStringLiteral("idempotency_key"), QStringLiteral("order-1")}});
        const auto first = d().admin("POST", QStringLiteral("/users/%1/credits").arg(id), topUp);
        const auto retry = d().admin("POST", QStringLiteral("/users/%1/credits").arg(id), topUp);
        QCOMPARE(first.status, 201);
        QCOMPARE(retry.status, 200);
        QCOMPARE(retry.json().value(QStringLiteral("replayed")).toBool(), true);
        QCOMPARE(idOf(retry), idOf(first));
        const auto changedRetry = d().admin("POST", QStringLiteral("/users/%1/credits").arg(id),
                                            obj({{QStringLiteral("amount"), 30}, {QStringLiteral("idempotency_key"), QStringLiteral("order-1")}}));
        QCOMPARE(changedRetry.status, 409);

        const auto overdraw = d().admin("POST", QStringLiteral("/users/%1/credits").arg(id), obj({{QStringLiteral("amount"), -200}}));
        QCOMPARE(overdraw.status, 400);
        QCOMPARE(errorParam(overdraw), QStringLiteral("amount"));
        QCOMPARE(d().admin("POST", QStringLiteral("/users/%1/credits").arg(id), obj({{QStringLiteral("amount"), -0.5}})).status, 201);
        QCOMPARE(d().admin("POST", QStringLiteral("/users/%1/credits").arg(id), obj({{QStringLiteral("amount"), 1.0000001}})).status, 400);

        const auto now = d().admin("GET", QStringLiteral("/users/") + id);
        QCOMPARE(now.json().value(QStringLiteral("balance")).toDouble(), 125.0);
        const auto ledger = d().admin("GET", QStringLiteral("/users/%1/ledger").arg(id));
        const QJsonArray postings = ledger.json().value(QStringLiteral("data")).toArray();
        QCOMPARE(postings.size(), 3);
        QCOMPARE(postings.at(0).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("adjustment"));
        QCOMPARE(postings.at(0).toObject().value(QStringLiteral("balance_after")).toDouble(), 125.0);
        QCOMPARE(postings.at(2).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("grant"));
        double sum = 0;
        for (const QJsonValue &p : postings)
            sum += p.toObject().value(QStringLiteral("amount")).toDouble();
        QCOMPARE(sum, 125.0);
        QCOMPARE(d().admin("GET", QStringLiteral("/users/usr_nobody")).status, 404);
        QCOMPARE(d().admin("POST", QStringLiteral("/users/usr_nobody/credits"), obj({{QStringLiteral("amount"), 1}})).status, 404);
    }

    void apiKeysAreShownOnceAndStoredHashed()
    {
        const QString user = idOf(d().admin("POST", QStringLiteral("/users"), obj({{QStringLiteral("email"), QStringLiteral("k@example.com")}})));
        const auto created = d().admin("POST", QStringLiteral("/users/%1/keys").arg(user),
                                       obj({{QStringLiteral("name"), QStringLiteral("ci")}, {QStringLiteral("models"), QJsonArray{QStringLiteral("gpt-4o-mini")}},
                                            {QStringLiteral("rpm"), 60}}));
        QCOMPARE(created.status, 201);
        const QString key = created.json().value(QStringLiteral("key")).toString();
        const QString keyId = idOf(created);
        QVERIFY(key.startsWith(QStringLiteral("sk-")));
        QVERIFY(key.size() >= 3 + 32);
        QVERIFY(key.startsWith(created.json().value(QStringLiteral("prefix")).toString()));
        QCOMPARE(created.json().value(QStringLiteral("rpm")).toInt(), 60);

        const auto list = d().admin("GET", QStringLiteral("/users/%1/keys").arg(user));
        QCOMPARE(list.json().value(QStringLiteral("data")).toArray().size(), 1);
        QVERIFY(!list.body.contains(key.toLatin1()));
        QVERIFY(!d().admin("GET", QStringLiteral("/keys/") + keyId).body.contains(key.toLatin1()));

        const auto disabled = d().admin("PATCH", QStringLiteral("/keys/") + keyId, obj({{QStringLiteral("status"), QStringLiteral("disabled")}}));
        QCOMPARE(disabled.status, 200);
        QCOMPARE(disabled.json().value(QStringLiteral("status")).toString(), QStringLiteral("disabled"));
        QCOMPARE(d().admin("DELETE", QStringLiteral("/keys/") + keyId).status, 200);
        QCOMPARE(d().admin("GET", QStringLiteral("/keys/") + keyId).status, 404);
        QCOMPARE(d().admin("GET", QStringLiteral("/users/%1/keys").arg(user)).json().value(QStringLiteral("data")).toArray().size(), 0);
        QCOMPARE(d().admin("POST", QStringLiteral("/users/usr_nobody/keys"), obj({{QStringLiteral("name"), QStringLiteral("x")}})).status, 404);
        QCOMPARE(errorParam(d().admin("POST", QStringLiteral("/users/%1/keys").arg(user), obj({{QStringLiteral("rpm"), 5}}))), QStringLiteral("name"));
    }

    void rolesLimitWhatATokenMayDo()
    {
        const auto support = d().admin("POST", QStringLiteral("/admin-tokens"), obj({{QStringLiteral("role"), QStringLiteral("support")}}));
        const auto viewer = d().admin("POST", QStringLiteral("/admin-tokens"), obj({{QStringLiteral("role"), QStringLiteral("viewer")}}));
        QCOMPARE(support.status, 201);
        const QByteArray supportToken = support.json().value(QStringLiteral("token")).toString().toLatin1();
        const QByteArray viewerToken = viewer.json().value(QStringLiteral("token")).toString().toLatin1();
        QVERIFY(supportToken.startsWith("gwa_"));

        QCOMPARE(d().admin("GET", QStringLiteral("/channels"), {}, supportToken).status, 200);
        QCOMPARE(d().admin("POST", QStringLiteral("/users"), obj({{QStringLiteral("email"), QStringLiteral("s@example.com")}}), supportToken).status, 403);
        QCOMPARE(d().admin("GET", QStringLiteral("/channels"), {}, viewerToken).status, 403);
        QCOMPARE(d().admin("GET", QStringLiteral("/admin-tokens"), {}, supportToken).status, 403);
        QCOMPARE(d().admin("GET", QStringLiteral("/channels"), {}, "gwa_not_a_real_token_at_all").status, 401);
        QCOMPARE(httpRequest("GET", d().url(QStringLiteral("/admin/v1/channels"))).status, 401);

        const auto tokens = d().admin("GET", QStringLiteral("/admin-tokens"));
        QCOMPARE(tokens.status, 200);
        QVERIFY(!tokens.body.contains(supportToken));
        QCOMPARE(d().admin("DELETE", QStringLiteral("/admin-tokens/") + idOf(support)).status, 200);
        QCOMPARE(d().admin("GET", QStringLiteral("/channels"), {}, supportToken).status, 401);

        // An admin token that is the only way in cannot be revoked.
        const auto second = d().admin("POST", QStringLiteral("/admin-tokens"), obj({{QStringLiteral("role"), QStringLiteral("admin")}}));
        const QByteArray secondToken = second.json().value(QStringLiteral("token")).toString().toLatin1();
        QCOMPARE(d().admin("GET", QStringLiteral("/channels"), {}, secondToken).status, 200);
    }

    void everyChangeIsAudited()
    {
        const QString secret = QStringLiteral("sk-audit-secret-77777777777");
        const QString ch = idOf(d().admin("POST", QStringLiteral("/channels"),
                                          obj({{QStringLiteral("name"), QStringLiteral("a")}, {QStringLiteral("provider"), QStringLiteral("openai")},
                                               {QStringLiteral("base_url"), QStringLiteral("https://x")}, {QStringLiteral("secret"), secret}})));
        d().admin("PATCH", QStringLiteral("/channels/") + ch, obj({{QStringLiteral("weight"), 5}}));
        const auto audit = d().admin("GET", QStringLiteral("/audit?resource=channel&resource_id=") + ch);
        QCOMPARE(audit.status, 200);
        const QJsonArray entries = audit.json().value(QStringLiteral("data")).toArray();
        QCOMPARE(entries.size(), 2);
        const QJsonObject update = entries.at(0).toObject();
        QCOMPARE(update.value(QStringLiteral("action")).toString(), QStringLiteral("update"));
        QCOMPARE(update.value(QStringLiteral("before")).toObject().value(QStringLiteral("weight")).toInt(), 1);
        QCOMPARE(update.value(QStringLiteral("after")).toObject().value(QStringLiteral("weight")).toInt(), 5);
        QCOMPARE(update.value(QStringLiteral("actor_role")).toString(), QStringLiteral("admin"));
        QVERIFY(!audit.body.contains(secret.toLatin1()));
    }

    void validationErrorsNameTheField()
    {
        const auto r = d().admin("POST", QStringLiteral("/channels"), obj({{QStringLiteral("name"), QStringLiteral("x")}, {QStringLiteral("provider"), QStringLiteral("openai")},
                                                                         {QStringLiteral("base_url"), QStringLiteral("not a url")}, {QStringLiteral("priority"), QStringLiteral("high")}}));
        QCOMPARE(r.status, 400);
        const QJsonObject error = r.json().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(error.value(QStringLiteral("param")).toString(), QStringLiteral("base_url"));
        QVERIFY(error.value(QStringLiteral("message")).toString().startsWith(QStringLiteral("base_url:")));
        QCOMPARE(error.value(QStringLiteral("details")).toArray().size(), 2);
        const auto broken = httpRequest("POST", d().url(QStringLiteral("/admin/v1/users")), "{not json",
                                        {{"Authorization", "Bearer " + d().adminToken()}});
        QCOMPARE(broken.status, 400);
        QVERIFY(broken.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("JSON")));
        QCOMPARE(httpRequest("POST", d().url(QStringLiteral("/admin/v1/users")), "[1,2]",
                             {{"Authorization", "Bearer " + d().adminToken()}}).status, 400);
    }

    void theDataDirectoryHoldsNoPlaintextSecrets()
    {
        const QByteArray secret = "sk-do-not-store-me-9999999999999";
        idOf(d().admin("POST", QStringLiteral("/channels"),
                       obj({{QStringLiteral("name"), QStringLiteral("s")}, {QStringLiteral("provider"), QStringLiteral("openai")},
                            {QStringLiteral("base_url"), QStringLiteral("https://x")}, {QStringLiteral("secret"), QString::fromLatin1(secret)}})));
        const QString user = idOf(d().admin("POST", QStringLiteral("/users"), obj({{QStringLiteral("email"), QStringLiteral("g@example.com")}})));
        const QByteArray key = d().admin("POST", QStringLiteral("/users/%1/keys").arg(user), obj({{QStringLiteral("name"), QStringLiteral("g")}}))
                                   .json().value(QStringLiteral("key")).toString().toLatin1();
        const QByteArray support = d().admin("POST", QStringLiteral("/admin-tokens"), obj({{QStringLiteral("role"), QStringLiteral("support")}}))
                                       .json().value(QStringLiteral("token")).toString().toLatin1();
        QVERIFY(key.startsWith("sk-"));
        QVERIFY(!directoryContains(d().dataDir(), secret));
        QVERIFY(!directoryContains(d().dataDir(), key));
        QVERIFY(!directoryContains(d().dataDir(), key.mid(10)));
        QVERIFY(!directoryContains(d().dataDir(), support));
        // The secret still works: the channel shows no problem resolving it.
        const auto channels = d().admin("GET", QStringLiteral("/channels"));
        QVERIFY(channels.json().value(QStringLiteral("data")).toArray().first().toObject().value(QStringLiteral("secret_problem")).isNull());
    }

    void hugeBodiesAreRefusedWithoutGrowingMemory()
    {
        const qint64 before = d().residentKb();
        QVERIFY(before > 0);
        // Announced far beyond the limit: refused at once, nothing read.
        {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, d().port());
            QVERIFY(s.waitForConnected(3000));
            s.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n");
            QVERIFY(s.waitForReadyRead(2000));
            QVERIFY(s.readAll().startsWith("HTTP/1.1 413"));
        }
        // 100 MB actually sent, with a length and chunked, to an API route and an admin route.
        const QByteArray chunk(1024 * 1024, 'x');
        for (const QByteArray &path : {QByteArray("/v1/chat/completions"), QByteArray("/admin/v1/users")}) {
            for (bool chunked : {false, true}) {
                QTcpSocket s;
                s.connectToHost(QHostAddress::LocalHost, d().port());
                QVERIFY(s.waitForConnected(3000));
                s.write("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + (chunked ? QByteArray("Transfer-Encoding: chunked\r\n") : QByteArray("Content-Length: 104857600\r\n")) + "\r\n");
                // Keep sending all of it, answer or not, as a careless client would.
                QByteArray answer;
                for (int i = 0; i < 100 && s.state() == QAbstractSocket::ConnectedState; ++i) {
                    s.write(chunked ? QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n" : chunk);
                    s.waitForBytesWritten(2000);
                    answer += s.readAll();
                }
                s.waitForReadyRead(2000);
                answer += s.readAll();
                QVERIFY2(answer.startsWith("HTTP/1.1 413") || answer.startsWith("HTTP/1.1 404"), answer.left(200).constData());
            }
        }
        const qint64 peak = d().peakResidentKb();
        qInfo("peak RSS after 400 MB of refused bodies: %lld KiB", peak);
#ifdef __SANITIZE_ADDRESS__
        // AddressSanitizer's shadow memory and quarantine alone take more.
        const qint64 limitKb = 400 * 1024;
#else
        const qint64 limitKb = 100 * 1024;
#endif
        QVERIFY2(peak < limitKb, qPrintable(QStringLiteral("peak RSS %1 KiB").arg(peak)));
        QCOMPARE(d().get(QStringLiteral("/healthz")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
