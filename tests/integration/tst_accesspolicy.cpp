#include "harness/daemonprocess.h"
#include "harness/jsonobject.h"
#include "harness/testdatabase.h"

#include <QJsonArray>
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

QJsonArray dataOf(const HttpResult &r)
{
    return r.json().value(QStringLiteral("data")).toArray();
}

QStringList idsOf(const HttpResult &r)
{
    QStringList out;
    for (const QJsonValue &v : dataOf(r))
        out.append(v.toObject().value(QStringLiteral("id")).toString());
    return out;
}

} // namespace

class TestAccessPolicy : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DaemonProcess> m_daemon;

    DaemonProcess &d() { return *m_daemon; }

    DaemonProcess::Options options() const
    {
        QFETCH_GLOBAL(QString, dialect);
        DaemonProcess::Options o;
        if (dialect == QLatin1String("postgres"))
            o.database = m_db->url();
        return o;
    }

    // A user with one key; returns the key's id.
    QString makeKey(const QString &email)
    {
        const auto user = d().admin("POST", QStringLiteral("/users"), obj({{QStringLiteral("email"), email}}));
        if (user.status != 201)
            return QString();
        return idOf(d().admin("POST", QStringLiteral("/users/%1/keys").arg(idOf(user)),
                              obj({{QStringLiteral("name"), QStringLiteral("k")}})));
    }

    QString makeChannel(const QString &name)
    {
        return idOf(d().admin("POST", QStringLiteral("/channels"),
                              obj({{QStringLiteral("name"), name}, {QStringLiteral("provider"), QStringLiteral("openai")},
                                   {QStringLiteral("base_url"), QStringLiteral("https://api.example.com")}})));
    }

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
        m_daemon = std::make_unique<DaemonProcess>(options());
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

    void rateLimitsAreCreatedListedAndDeleted()
    {
        const QString key = makeKey(QStringLiteral("rl@example.com"));
        QVERIFY(!key.isEmpty());
        const auto perKey = d().admin("POST", QStringLiteral("/rate-limits"),
                                      obj({{QStringLiteral("scope"), QStringLiteral("key")}, {QStringLiteral("target"), key},
                                           {QStringLiteral("rpm"), 60}}));
        QCOMPARE(perKey.status, 201);
        const QJsonObject view = perKey.json();
        QVERIFY(idOf(perKey).startsWith(QStringLiteral("rl_")));
        QCOMPARE(view.value(QStringLiteral("object")).toString(), QStringLiteral("rate_limit"));
        QCOMPARE(view.value(QStringLiteral("scope")).toString(), QStringLiteral("key"));
        QCOMPARE(view.value(QStringLiteral("target")).toString(), key);
        QCOMPARE(view.value(QStringLiteral("rpm")).toInt(), 60);
        QVERIFY(view.value(QStringLiteral("tpm")).isNull());

        const auto global = d().admin("POST", QStringLiteral("/rate-limits"),
                                      obj({{QStringLiteral("scope"), QStringLiteral("global")}, {QStringLiteral("rpm"), 1000},
                                           {QStringLiteral("tpm"), 100000}}));
        QCOMPARE(global.status, 201);
        QVERIFY(global.json().value(QStringLiteral("target")).isNull());
        QCOMPARE(global.json().value(QStringLiteral("tpm")).toInt(), 100000);
        const auto provider = d().admin("POST", QStringLiteral("/rate-limits"),
                                        obj({{QStringLiteral("scope"), QStringLiteral("provider")},
                                             {QStringLiteral("target"), QStringLiteral("openai")}, {QStringLiteral("tpm"), 5000}}));
        QCOMPARE(provider.status, 201);

        // One rule per subject.
        const auto again = d().admin("POST", QStringLiteral("/rate-limits"),
                                     obj({{QStringLiteral("scope"), QStringLiteral("global")}, {QStringLiteral("rpm"), 5}}));
        QCOMPARE(again.status, 409);

        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/rate-limits"))),
                 (QStringList{idOf(perKey), idOf(global), idOf(provider)}));
        const auto first = d().admin("GET", QStringLiteral("/rate-limits?limit=2"));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.json().value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QCOMPARE(dataOf(first).size(), 2);
        const QString cursor = first.json().value(QStringLiteral("next_cursor")).toString();
        QCOMPARE(cursor, idOf(global));
        const auto second = d().admin("GET", QStringLiteral("/rate-limits?limit=2&cursor=") + cursor);
        QCOMPARE(idsOf(second), QStringList{idOf(provider)});
        QVERIFY(second.json().value(QStringLiteral("next_cursor")).isNull());
        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/rate-limits?scope=global"))), QStringList{idOf(global)});
        QCOMPARE(d().admin("GET", QStringLiteral("/rate-limits?scope=team")).status, 400);
        QCOMPARE(d().admin("GET", QStringLiteral("/rate-limits/") + idOf(perKey)).json().value(QStringLiteral("rpm")).toInt(), 60);

        QCOMPARE(d().admin("DELETE", QStringLiteral("/rate-limits/") + idOf(perKey)).status, 200);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/rate-limits/") + idOf(perKey)).status, 404);
        QCOMPARE(d().admin("GET", QStringLiteral("/rate-limits/") + idOf(perKey)).status, 404);
        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/rate-limits"))), (QStringList{idOf(global), idOf(provider)}));
        // Deleted, the subject may get a rule again.
        QCOMPARE(d().admin("POST", QStringLiteral("/rate-limits"),
                           obj({{QStringLiteral("scope"), QStringLiteral("key")}, {QStringLiteral("target"), key},
                                {QStringLiteral("rpm"), 30}})).status, 201);
    }

    void rateLimitErrorsNameTheField()
    {
        const struct
        {
            QJsonObject body;
            const char *field;
        } cases[] = {
            {obj({{QStringLiteral("rpm"), 5}}), "scope"},
            {obj({{QStringLiteral("scope"), QStringLiteral("team")}, {QStringLiteral("rpm"), 5}}), "scope"},
            {obj({{QStringLiteral("scope"), QStringLiteral("key")}, {QStringLiteral("rpm"), 5}}), "target"},
            {obj({{QStringLiteral("scope"), QStringLiteral("global")}, {QStringLiteral("target"), QStringLiteral("x")},
                  {QStringLiteral("rpm"), 5}}), "target"},
            {obj({{QStringLiteral("scope"), QStringLiteral("global")}, {QStringLiteral("rpm"), 0}}), "rpm"},
            {obj({{QStringLiteral("scope"), QStringLiteral("global")}, {QStringLiteral("rpm"), -3}}), "rpm"},
            {obj({{QStringLiteral("scope"), QStringLiteral("global")}, {QStringLiteral("tpm"), QStringLiteral("lots")}}), "tpm"},
            // Targets must exist.
            {obj({{QStringLiteral("scope"), QStringLiteral("key")}, {QStringLiteral("target"), QStringLiteral("key_nope")},
                  {QStringLiteral("rpm"), 5}}), "target"},
            {obj({{QStringLiteral("scope"), QStringLiteral("user")}, {QStringLiteral("target"), QStringLiteral("usr_nope")},
                  {QStringLiteral("rpm"), 5}}), "target"},
            {obj({{QStringLiteral("scope"), QStringLiteral("channel")}, {QStringLiteral("target"), QStringLiteral("ch_nope")},
                  {QStringLiteral("rpm"), 5}}), "target"},
            {obj({{QStringLiteral("scope"), QStringLiteral("provider")}, {QStringLiteral("target"), QStringLiteral("cohere")},
                  {QStringLiteral("rpm"), 5}}), "target"},
        };
        for (const auto &c : cases) {
            const auto r = d().admin("POST", QStringLiteral("/rate-limits"), c.body);
            QCOMPARE(r.status, 400);
            QCOMPARE(errorParam(r), QLatin1String(c.field));
        }
        QCOMPARE(dataOf(d().admin("GET", QStringLiteral("/rate-limits"))).size(), 0);

        // A channel may be named by name; the rule keeps its id.
        const QString ch = makeChannel(QStringLiteral("main"));
        const auto byName = d().admin("POST", QStringLiteral("/rate-limits"),
                                      obj({{QStringLiteral("scope"), QStringLiteral("channel")},
                                           {QStringLiteral("target"), QStringLiteral("main")}, {QStringLiteral("rpm"), 5}}));
        QCOMPARE(byName.status, 201);
        QCOMPARE(byName.json().value(QStringLiteral("target")).toString(), ch);
    }

    void keyBlocksAreCreatedListedAndDeleted()
    {
        const QString key = makeKey(QStringLiteral("blk@example.com"));
        QVERIFY(!key.isEmpty());
        const auto byId = d().admin("POST", QStringLiteral("/blocks"),
                                    obj({{QStringLiteral("key_id"), key}, {QStringLiteral("reason"), QStringLiteral("abuse")}}));
        QCOMPARE(byId.status, 201);
        QVERIFY(idOf(byId).startsWith(QStringLiteral("blk_")));
        QCOMPARE(byId.json().value(QStringLiteral("object")).toString(), QStringLiteral("key_block"));
        QCOMPARE(byId.json().value(QStringLiteral("provider")).toString(), QStringLiteral("*"));
        QCOMPARE(byId.json().value(QStringLiteral("reason")).toString(), QStringLiteral("abuse"));
        QCOMPARE(byId.json().value(QStringLiteral("key_id")).toString(), key);
        QVERIFY(byId.json().value(QStringLiteral("key_prefix")).isNull());

        const auto byPrefix = d().admin("POST", QStringLiteral("/blocks"),
                                        obj({{QStringLiteral("key_prefix"), QStringLiteral("sk-abc")},
                                             {QStringLiteral("provider"), QStringLiteral("openai")}}));
        QCOMPARE(byPrefix.status, 201);
        QCOMPARE(byPrefix.json().value(QStringLiteral("key_prefix")).toString(), QStringLiteral("sk-abc"));
        QCOMPARE(byPrefix.json().value(QStringLiteral("provider")).toString(), QStringLiteral("openai"));
        QCOMPARE(d().admin("POST", QStringLiteral("/blocks"),
                           obj({{QStringLiteral("key_prefix"), QStringLiteral("sk-abc")},
                                {QStringLiteral("provider"), QStringLiteral("openai")}})).status, 409);

        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/blocks"))), (QStringList{idOf(byId), idOf(byPrefix)}));
        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/blocks?key_id=") + key)), QStringList{idOf(byId)});
        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/blocks?limit=1"))), QStringList{idOf(byId)});
        QCOMPARE(d().admin("GET", QStringLiteral("/blocks/") + idOf(byPrefix)).status, 200);

        const struct
        {
            QJsonObject body;
            const char *field;
        } cases[] = {
            {obj({{QStringLiteral("reason"), QStringLiteral("x")}}), "key_id"},
            {obj({{QStringLiteral("key_id"), key}, {QStringLiteral("key_prefix"), QStringLiteral("sk-abcdef")}}), "key_prefix"},
            {obj({{QStringLiteral("key_prefix"), QStringLiteral("sk-a")}}), "key_prefix"},
            {obj({{QStringLiteral("key_prefix"), QStringLiteral("abcdefgh")}}), "key_prefix"},
            {obj({{QStringLiteral("key_id"), QStringLiteral("key_nope")}}), "key_id"},
            {obj({{QStringLiteral("key_id"), key}, {QStringLiteral("provider"), QStringLiteral("cohere")}}), "provider"},
        };
        for (const auto &c : cases) {
            const auto r = d().admin("POST", QStringLiteral("/blocks"), c.body);
            QCOMPARE(r.status, 400);
            QCOMPARE(errorParam(r), QLatin1String(c.field));
        }

        QCOMPARE(d().admin("DELETE", QStringLiteral("/blocks/") + idOf(byId)).status, 200);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/blocks/") + idOf(byId)).status, 404);
        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/blocks"))), QStringList{idOf(byPrefix)});
    }

    void costRulesAreCreatedChangedListedAndDeleted()
    {
        const QString ch = makeChannel(QStringLiteral("upstream-a"));
        const QString other = makeChannel(QStringLiteral("upstream-b"));
        QVERIFY(!ch.isEmpty());
        const auto created = d().admin("POST", QStringLiteral("/cost-rules"),
                                       obj({{QStringLiteral("channel"), ch}, {QStringLiteral("model_pattern"), QStringLiteral("gpt-*")},
                                            {QStringLiteral("input_per_mtok"), 0.1}, {QStringLiteral("output_per_mtok"), 0.4},
                                            {QStringLiteral("per_request"), 0}}));
        QCOMPARE(created.status, 201);
        const QJsonObject rule = created.json();
        QVERIFY(idOf(created).startsWith(QStringLiteral("cr_")));
        QCOMPARE(rule.value(QStringLiteral("object")).toString(), QStringLiteral("cost_rule"));
        QCOMPARE(rule.value(QStringLiteral("channel")).toString(), ch);
        QCOMPARE(rule.value(QStringLiteral("model_pattern")).toString(), QStringLiteral("gpt-*"));
        QCOMPARE(rule.value(QStringLiteral("input_per_mtok")).toDouble(), 0.1);
        QCOMPARE(rule.value(QStringLiteral("output_per_mtok")).toDouble(), 0.4);
        QCOMPARE(rule.value(QStringLiteral("cache_read_per_mtok")).toDouble(), 0.0);

        // The channel by name; the rule keeps the id.
        const auto byName = d().admin("POST", QStringLiteral("/cost-rules"),
                                      obj({{QStringLiteral("channel"), QStringLiteral("upstream-b")},
                                           {QStringLiteral("model_pattern"), QStringLiteral("*")},
                                           {QStringLiteral("input_per_mtok"), 1}, {QStringLiteral("output_per_mtok"), 2}}));
        QCOMPARE(byName.status, 201);
        QCOMPARE(byName.json().value(QStringLiteral("channel")).toString(), other);

        const auto unknown = d().admin("POST", QStringLiteral("/cost-rules"),
                                       obj({{QStringLiteral("channel"), QStringLiteral("ch_nope")},
                                            {QStringLiteral("model_pattern"), QStringLiteral("*")},
                                            {QStringLiteral("input_per_mtok"), 1}, {QStringLiteral("output_per_mtok"), 1}}));
        QCOMPARE(unknown.status, 400);
        QCOMPARE(errorParam(unknown), QStringLiteral("channel"));
        const auto precise = d().admin("POST", QStringLiteral("/cost-rules"),
                                       obj({{QStringLiteral("channel"), ch}, {QStringLiteral("model_pattern"), QStringLiteral("o1")},
                                            {QStringLiteral("input_per_mtok"), 0.0000001}, {QStringLiteral("output_per_mtok"), 1}}));
        QCOMPARE(precise.status, 400);
        QCOMPARE(errorParam(precise), QStringLiteral("input_per_mtok"));
        const auto missing = d().admin("POST", QStringLiteral("/cost-rules"),
                                       obj({{QStringLiteral("channel"), ch}, {QStringLiteral("input_per_mtok"), 1},
                                            {QStringLiteral("output_per_mtok"), 1}}));
        QCOMPARE(missing.status, 400);
        QCOMPARE(errorParam(missing), QStringLiteral("model_pattern"));
        const auto duplicate = d().admin("POST", QStringLiteral("/cost-rules"),
                                         obj({{QStringLiteral("channel"), ch}, {QStringLiteral("model_pattern"), QStringLiteral("gpt-*")},
                                              {QStringLiteral("input_per_mtok"), 1}, {QStringLiteral("output_per_mtok"), 1}}));
        QCOMPARE(duplicate.status, 409);

        const auto patched = d().admin("PATCH", QStringLiteral("/cost-rules/") + idOf(created),
                                       obj({{QStringLiteral("output_per_mtok"), 1.2}, {QStringLiteral("per_image"), 0.04}}));
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json().value(QStringLiteral("input_per_mtok")).toDouble(), 0.1);
        QCOMPARE(patched.json().value(QStringLiteral("output_per_mtok")).toDouble(), 1.2);
        QCOMPARE(patched.json().value(QStringLiteral("per_image")).toDouble(), 0.04);
        const auto badPatch = d().admin("PATCH", QStringLiteral("/cost-rules/") + idOf(created),
                                        obj({{QStringLiteral("channel"), QStringLiteral("ch_nope")}}));
        QCOMPARE(badPatch.status, 400);
        QCOMPARE(errorParam(badPatch), QStringLiteral("channel"));
        QCOMPARE(d().admin("PATCH", QStringLiteral("/cost-rules/cr_nope"), obj({{QStringLiteral("per_request"), 1}})).status, 404);

        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/cost-rules"))), (QStringList{idOf(created), idOf(byName)}));
        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/cost-rules?channel=") + other)), QStringList{idOf(byName)});
        QCOMPARE(d().admin("GET", QStringLiteral("/cost-rules/") + idOf(created)).json().value(QStringLiteral("output_per_mtok")).toDouble(), 1.2);

        // A channel with cost or rate-limit rules is not deleted from under them.
        const auto limit = d().admin("POST", QStringLiteral("/rate-limits"),
                                     obj({{QStringLiteral("scope"), QStringLiteral("channel")},
                                          {QStringLiteral("target"), QStringLiteral("upstream-a")}, {QStringLiteral("rpm"), 100}}));
        QCOMPARE(limit.status, 201);
        const auto inUse = d().admin("DELETE", QStringLiteral("/channels/") + ch);
        QCOMPARE(inUse.status, 409);
        QVERIFY(inUse.body.contains(idOf(created).toUtf8()));
        QVERIFY(inUse.body.contains(idOf(limit).toUtf8()));
        QCOMPARE(d().admin("GET", QStringLiteral("/channels/") + ch).status, 200);

        QCOMPARE(d().admin("DELETE", QStringLiteral("/cost-rules/") + idOf(created)).status, 200);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/cost-rules/") + idOf(created)).status, 404);
        QCOMPARE(idsOf(d().admin("GET", QStringLiteral("/cost-rules"))), QStringList{idOf(byName)});
        QCOMPARE(d().admin("DELETE", QStringLiteral("/channels/") + ch).status, 409);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/rate-limits/") + idOf(limit)).status, 200);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/channels/") + ch).status, 200);
    }

    void supportMayReadButNotChange()
    {
        const QByteArray support = d().admin("POST", QStringLiteral("/admin-tokens"), obj({{QStringLiteral("role"), QStringLiteral("support")}}))
                                       .json().value(QStringLiteral("token")).toString().toLatin1();
        const QByteArray viewer = d().admin("POST", QStringLiteral("/admin-tokens"), obj({{QStringLiteral("role"), QStringLiteral("viewer")}}))
                                      .json().value(QStringLiteral("token")).toString().toLatin1();
        QVERIFY(support.startsWith("gwa_"));
        const QString ch = makeChannel(QStringLiteral("c"));
        const QString limit = idOf(d().admin("POST", QStringLiteral("/rate-limits"),
                                             obj({{QStringLiteral("scope"), QStringLiteral("global")}, {QStringLiteral("rpm"), 5}})));
        const QString block = idOf(d().admin("POST", QStringLiteral("/blocks"), obj({{QStringLiteral("key_prefix"), QStringLiteral("sk-leaked")}})));
        const QString rule = idOf(d().admin("POST", QStringLiteral("/cost-rules"),
                                            obj({{QStringLiteral("channel"), ch}, {QStringLiteral("model_pattern"), QStringLiteral("*")},
                                                 {QStringLiteral("input_per_mtok"), 1}, {QStringLiteral("output_per_mtok"), 1}})));
        QVERIFY(!limit.isEmpty() && !block.isEmpty() && !rule.isEmpty());

        for (const QString &path : {QStringLiteral("/rate-limits"), QStringLiteral("/blocks"), QStringLiteral("/cost-rules")}) {
            const auto list = d().admin("GET", path, {}, support);
            QCOMPARE(list.status, 200);
            QCOMPARE(dataOf(list).size(), 1);
            QCOMPARE(d().admin("GET", path, {}, viewer).status, 403);
        }
        QCOMPARE(d().admin("POST", QStringLiteral("/rate-limits"),
                           obj({{QStringLiteral("scope"), QStringLiteral("provider")}, {QStringLiteral("target"), QStringLiteral("openai")},
                                {QStringLiteral("rpm"), 5}}), support).status, 403);
        QCOMPARE(d().admin("POST", QStringLiteral("/blocks"), obj({{QStringLiteral("key_prefix"), QStringLiteral("sk-other")}}), support).status, 403);
        QCOMPARE(d().admin("POST", QStringLiteral("/cost-rules"),
                           obj({{QStringLiteral("channel"), ch}, {QStringLiteral("model_pattern"), QStringLiteral("x")},
                                {QStringLiteral("input_per_mtok"), 1}, {QStringLiteral("output_per_mtok"), 1}}), support).status, 403);
        QCOMPARE(d().admin("PATCH", QStringLiteral("/cost-rules/") + rule, obj({{QStringLiteral("per_request"), 1}}), support).status, 403);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/rate-limits/") + limit, {}, support).status, 403);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/blocks/") + block, {}, support).status, 403);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/cost-rules/") + rule, {}, support).status, 403);
        // Nothing changed.
        QCOMPARE(dataOf(d().admin("GET", QStringLiteral("/rate-limits"))).size(), 1);
        QCOMPARE(dataOf(d().admin("GET", QStringLiteral("/blocks"))).size(), 1);
        QCOMPARE(d().admin("GET", QStringLiteral("/cost-rules/") + rule).json().value(QStringLiteral("per_request")).toDouble(), 0.0);
    }

    void everyChangeIsAudited()
    {
        const QString ch = makeChannel(QStringLiteral("c"));
        const QString limit = idOf(d().admin("POST", QStringLiteral("/rate-limits"),
                                             obj({{QStringLiteral("scope"), QStringLiteral("global")}, {QStringLiteral("rpm"), 5}})));
        QCOMPARE(d().admin("DELETE", QStringLiteral("/rate-limits/") + limit).status, 200);
        const QString block = idOf(d().admin("POST", QStringLiteral("/blocks"),
                                             obj({{QStringLiteral("key_prefix"), QStringLiteral("sk-leaked")},
                                                  {QStringLiteral("reason"), QStringLiteral("posted online")}})));
        QCOMPARE(d().admin("DELETE", QStringLiteral("/blocks/") + block).status, 200);
        const QString rule = idOf(d().admin("POST", QStringLiteral("/cost-rules"),
                                            obj({{QStringLiteral("channel"), ch}, {QStringLiteral("model_pattern"), QStringLiteral("*")},
                                                 {QStringLiteral("input_per_mtok"), 1}, {QStringLiteral("output_per_mtok"), 1}})));
        QCOMPARE(d().admin("PATCH", QStringLiteral("/cost-rules/") + rule, obj({{QStringLiteral("input_per_mtok"), 2}})).status, 200);
        QCOMPARE(d().admin("DELETE", QStringLiteral("/cost-rules/") + rule).status, 200);

        const struct
        {
            const char *resource;
            QString id;
            QStringList actions;  // newest first
        } expected[] = {
            {"rate_limit", limit, {QStringLiteral("delete"), QStringLiteral("create")}},
            {"key_block", block, {QStringLiteral("delete"), QStringLiteral("create")}},
            {"cost_rule", rule, {QStringLiteral("delete"), QStringLiteral("update"), QStringLiteral("create")}},
        };
        for (const auto &e : expected) {
            const auto audit = d().admin("GET", QStringLiteral("/audit?resource=%1&resource_id=%2").arg(QLatin1String(e.resource), e.id));
            QCOMPARE(audit.status, 200);
            QStringList actions;
            for (const QJsonValue &v : dataOf(audit)) {
                actions.append(v.toObject().value(QStringLiteral("action")).toString());
                QCOMPARE(v.toObject().value(QStringLiteral("actor_role")).toString(), QStringLiteral("admin"));
            }
            QCOMPARE(actions, e.actions);
        }
        const auto ruleAudit = d().admin("GET", QStringLiteral("/audit?resource=cost_rule&resource_id=") + rule);
        const QJsonObject update = dataOf(ruleAudit).at(1).toObject();
        QCOMPARE(update.value(QStringLiteral("before")).toObject().value(QStringLiteral("input_per_mtok")).toDouble(), 1.0);
        QCOMPARE(update.value(QStringLiteral("after")).toObject().value(QStringLiteral("input_per_mtok")).toDouble(), 2.0);
        const auto blockAudit = d().admin("GET", QStringLiteral("/audit?resource=key_block&resource_id=") + block);
        QCOMPARE(dataOf(blockAudit).at(1).toObject().value(QStringLiteral("after")).toObject().value(QStringLiteral("reason")).toString(),
                 QStringLiteral("posted online"));
    }

    void stateSurvivesARestart()
    {
        const QString key = makeKey(QStringLiteral("keep@example.com"));
        const QString ch = makeChannel(QStringLiteral("c"));
        const QString limit = idOf(d().admin("POST", QStringLiteral("/rate-limits"),
                                             obj({{QStringLiteral("scope"), QStringLiteral("key")}, {QStringLiteral("target"), key},
                                                  {QStringLiteral("rpm"), 7}, {QStringLiteral("tpm"), 7000}})));
        const QString block = idOf(d().admin("POST", QStringLiteral("/blocks"), obj({{QStringLiteral("key_id"), key}})));
        const QString rule = idOf(d().admin("POST", QStringLiteral("/cost-rules"),
                                            obj({{QStringLiteral("channel"), ch}, {QStringLiteral("model_pattern"), QStringLiteral("gpt-*")},
                                                 {QStringLiteral("input_per_mtok"), 0.25}, {QStringLiteral("output_per_mtok"), 1}})));
        QVERIFY(!limit.isEmpty() && !block.isEmpty() && !rule.isEmpty());
        QCOMPARE(d().stop(), 0);

        DaemonProcess::Options again = options();
        again.dataDir = d().dataDir();
        DaemonProcess second(again);
        QString error;
        QVERIFY2(second.start(&error), qPrintable(error));
        const auto limits = second.admin("GET", QStringLiteral("/rate-limits"));
        QCOMPARE(idsOf(limits), QStringList{limit});
        QCOMPARE(dataOf(limits).first().toObject().value(QStringLiteral("tpm")).toInt(), 7000);
        QCOMPARE(idsOf(second.admin("GET", QStringLiteral("/blocks"))), QStringList{block});
        const auto rules = second.admin("GET", QStringLiteral("/cost-rules"));
        QCOMPARE(idsOf(rules), QStringList{rule});
        QCOMPARE(dataOf(rules).first().toObject().value(QStringLiteral("input_per_mtok")).toDouble(), 0.25);
        // The loaded state is live: what was there can be deleted, and a
        // second rule for the same subject is still refused.
        QCOMPARE(second.admin("POST", QStringLiteral("/rate-limits"),
                              obj({{QStringLiteral("scope"), QStringLiteral("key")}, {QStringLiteral("target"), key},
                                   {QStringLiteral("rpm"), 1}})).status, 409);
        QCOMPARE(second.admin("DELETE", QStringLiteral("/blocks/") + block).status, 200);
        QCOMPARE(second.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAccessPolicy)
#include "tst_accesspolicy.moc"
