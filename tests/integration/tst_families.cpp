#include "fakeupstream.h"
#include "harness/daemonprocess.h"
#include "harness/jsonobject.h"

#include <QJsonArray>
#include <QTest>

using namespace gw::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QString s(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

struct SseMessage
{
    QByteArray event;
    QJsonValue data; // parsed JSON; a string for non-JSON data ("[DONE]")
};

QList<SseMessage> sseMessages(const QByteArray &body)
{
    QList<SseMessage> out;
    QByteArray event;
    QByteArray data;
    const QList<QByteArray> lines = QByteArray(body).replace("\r\n", "\n").split('\n');
    for (const QByteArray &line : lines) {
        if (line.isEmpty()) {
            if (!data.isEmpty()) {
                SseMessage m;
                m.event = event;
                const QJsonDocument doc = QJsonDocument::fromJson(data);
                m.data = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(QString::fromUtf8(data));
                out.append(m);
            }
            event.clear();
            data.clear();
        } else if (line.startsWith("event: ")) {
            event = line.mid(7);
        } else if (line.startsWith("data: ")) {
            data += line.mid(6);
        }
    }
    return out;
}

// One caller family: how it asks, and how to read what it gets back.
struct Caller
{
    QString family;

    QString chatPath(const QString &model, bool stream, bool sse = true) const
    {
        if (family == QLatin1String("openai"))
            return s("/v1/chat/completions");
        if (family == QLatin1String("anthropic"))
            return s("/v1/messages");
        return QStringLiteral("/v1beta/models/%1:%2").arg(model, stream ? (sse ? s("streamGenerateContent?alt=sse")
                                                                              : s("streamGenerateContent"))
                                                                       : s("generateContent"));
    }

    Headers headers(const QByteArray &key) const
    {
        if (family == QLatin1String("anthropic"))
            return {{"x-api-key", key}, {"anthropic-version", "2023-06-01"}, {"content-type", "application/json"}};
        if (family == QLatin1String("gemini"))
            return {{"x-goog-api-key", key}, {"content-type", "application/json"}};
        return {{"authorization", "Bearer " + key}, {"content-type", "application/json"}};
    }

    // "Say hello world" with a short system prompt, at most 50 tokens out.
    QJsonObject chatBody(const QString &model, bool stream, const QString &text = s("Say hello world")) const
    {
        if (family == QLatin1String("openai")) {
            QJsonObject b{{s("model"), model},
                          {s("max_tokens"), 50},
                          {s("messages"), QJsonArray{obj({{s("role"), s("system")}, {s("content"), s("Be brief.")}}),
                                                     obj({{s("role"), s("user")}, {s("content"), text}})}}};
            if (stream)
                b.insert(s("stream"), true);
            return b;
        }
        if (family == QLatin1String("anthropic")) {
            QJsonObject b{{s("model"), model},
                          {s("max_tokens"), 50},
                          {s("system"), s("Be brief.")},
                          {s("messages"), QJsonArray{obj({{s("role"), s("user")}, {s("content"), text}})}}};
            if (stream)
                b.insert(s("stream"), true);
            return b;
        }
        return QJsonObject{
            {s("systemInstruction"), obj({{s("parts"), QJsonArray{obj({{s("text"), s("Be brief.")}})}}})},
            {s("contents"), QJsonArray{obj({{s("role"), s("user")}, {s("parts"), QJsonArray{obj({{s("text"), text}})}}})}},
            {s("generationConfig"), obj({{s("maxOutputTokens"), 50}})}};
    }

    // Adds a get_weather tool the model is made to call.
    void addForcedTool(QJsonObject &body) const
    {
        const QJsonObject schema{{s("type"), s("object")},
                                 {s("properties"), obj({{s("city"), obj({{s("type"), s("string")}})}})},
                                 {s("required"), QJsonArray{s("city")}}};
        if (family == QLatin1String("openai")) {
            body.insert(s("tools"), QJsonArray{obj({{s("type"), s("function")},
                                                    {s("function"), obj({{s("name"), s("get_weather")},
                                                                         {s("description"), s("Weather of a city")},
                                                                         {s("parameters"), schema}})}})});
            body.insert(s("tool_choice"), obj({{s("type"), s("function")}, {s("function"), obj({{s("name"), s("get_weather")}})}}));
        } else if (family == QLatin1String("anthropic")) {
            body.insert(s("tools"), QJsonArray{obj({{s("name"), s("get_weather")}, {s("description"), s("Weather of a city")},
                                                    {s("input_schema"), schema}})});
            body.insert(s("tool_choice"), obj({{s("type"), s("tool")}, {s("name"), s("get_weather")}}));
        } else {
            body.insert(s("tools"), QJsonArray{obj({{s("functionDeclarations"),
                                                     QJsonArray{obj({{s("name"), s("get_weather")},
                                                                     {s("description"), s("Weather of a city")},
                                                                     {s("parameters"), schema}})}}})});
            body.insert(s("toolConfig"), obj({{s("functionCallingConfig"),
                                               obj({{s("mode"), s("ANY")}, {s("allowedFunctionNames"), QJsonArray{s("get_weather")}}})}}));
        }
    }

    QString answerText(const QJsonObject &answer) const
    {
        QString text;
        if (family == QLatin1String("openai"))
            return answer.value(s("choices")).toArray().first().toObject().value(s("message")).toObject().value(s("content")).toString();
        if (family == QLatin1String("anthropic")) {
            for (const QJsonValue &block : answer.value(s("content")).toArray()) {
                if (block.toObject().value(s("type")).toString() == QLatin1String("text"))
                    text += block.toObject().value(s("text")).toString();
            }
            return text;
        }
        for (const QJsonValue &part : answer.value(s("candidates")).toArray().first().toObject().value(s("content")).toObject()
                                          .value(s("parts")).toArray())
            text += part.toObject().value(s("text")).toString();
        return text;
    }

    // The tool call an answer makes: name and arguments.
    QPair<QString, QJsonObject> answerToolCall(const QJsonObject &answer) const
    {
        if (family == QLatin1String("openai")) {
            const QJsonObject call = answer.value(s("choices")).toArray().first().toObject().value(s("message")).toObject()
                                         .value(s("tool_calls")).toArray().first().toObject();
            const QJsonObject fn = call.value(s("function")).toObject();
            return {fn.value(s("name")).toString(), QJsonDocument::fromJson(fn.value(s("arguments")).toString().toUtf8()).object()};
        }
        if (family == QLatin1String("anthropic")) {
            for (const QJsonValue &block : answer.value(s("content")).toArray()) {
                if (block.toObject().value(s("type")).toString() == QLatin1String("tool_use"))
                    return {block.toObject().value(s("name")).toString(), block.toObject().value(s("input")).toObject()};
            }
            return {};
        }
        for (const QJsonValue &part : answer.value(s("candidates")).toArray().first().toObject().value(s("content")).toObject()
                                          .value(s("parts")).toArray()) {
            const QJsonObject call = part.toObject().value(s("functionCall")).toObject();
            if (!call.isEmpty())
                return {call.value(s("name")).toString(), call.value(s("args")).toObject()};
        }
        return {};
    }

    // The text of a stream, and whether it ended as the family ends a complete one.
    QString streamText(const QByteArray &body, bool *complete, QString *toolName = nullptr, QJsonObject *toolArgs = nullptr,
                       bool sse = true) const
    {
        QString text;
        QByteArray arguments;
        *complete = false;
        if (family == QLatin1String("gemini")) {
            QJsonArray chunks;
            if (sse) {
                for (const SseMessage &m : sseMessages(body))
                    chunks.append(m.data);
            } else {
                const QJsonDocument doc = QJsonDocument::fromJson(body);
                chunks = doc.array();
                if (!doc.isArray())
                    return QString();
            }
            for (const QJsonValue &chunk : chunks) {
                const QJsonObject candidate = chunk.toObject().value(s("candidates")).toArray().first().toObject();
                for (const QJsonValue &part : candidate.value(s("content")).toObject().value(s("parts")).toArray()) {
                    text += part.toObject().value(s("text")).toString();
                    const QJsonObject call = part.toObject().value(s("functionCall")).toObject();
                    if (!call.isEmpty() && toolName) {
                        *toolName = call.value(s("name")).toString();
                        *toolArgs = call.value(s("args")).toObject();
                    }
                }
                if (candidate.contains(s("finishReason")))
                    *complete = true;
            }
            return text;
        }
        const QList<SseMessage> messages = sseMessages(body);
        if (family == QLatin1String("openai")) {
            for (const SseMessage &m : messages) {
                if (m.data.isString()) {
                    *complete = m.data.toString() == QLatin1String("[DONE]");
                    continue;
                }
                const QJsonObject delta = m.data.toObject().value(s("choices")).toArray().first().toObject().value(s("delta")).toObject();
                text += delta.value(s("content")).toString();
                for (const QJsonValue &call : delta.value(s("tool_calls")).toArray()) {
                    const QJsonObject fn = call.toObject().value(s("function")).toObject();
                    if (toolName && fn.contains(s("name")))
                        *toolName = fn.value(s("name")).toString();
                    arguments += fn.value(s("arguments")).toString().toUtf8();
                }
            }
        } else {
            for (const SseMessage &m : messages) {
                const QJsonObject data = m.data.toObject();
                if (m.event == "content_block_start" && toolName
                    && data.value(s("content_block")).toObject().value(s("type")).toString() == QLatin1String("tool_use"))
                    *toolName = data.value(s("content_block")).toObject().value(s("name")).toString();
                if (m.event == "content_block_delta") {
                    text += data.value(s("delta")).toObject().value(s("text")).toString();
                    arguments += data.value(s("delta")).toObject().value(s("partial_json")).toString().toUtf8();
                }
                *complete = m.event == "message_stop";
            }
        }
        if (toolArgs && !arguments.isEmpty())
            *toolArgs = QJsonDocument::fromJson(arguments).object();
        return text;
    }

    // The message of an error body, when it is in this family's shape.
    QString errorMessage(const QJsonObject &body) const
    {
        if (family == QLatin1String("anthropic")) {
            if (body.value(s("type")).toString() != QLatin1String("error"))
                return QString();
            return body.value(s("error")).toObject().value(s("message")).toString();
        }
        const QJsonObject error = body.value(s("error")).toObject();
        if (family == QLatin1String("gemini") && (!error.value(s("code")).isDouble() || !error.value(s("status")).isString()))
            return QString();
        if (family == QLatin1String("openai") && !error.contains(s("type")))
            return QString();
        return error.value(s("message")).toString();
    }
};

} // namespace

// The three API families against channels of each family: native
// passthrough and translation, answers, streams, tool calls, errors and
// usage, through the real gatewayd in front of the fake upstream.
class TestFamilies : public QObject
{
    Q_OBJECT

    std::unique_ptr<DaemonProcess> m_daemon;
    FakeUpstream m_fake;
    QHash<QString, QString> m_channels; // family -> channel id
    QString m_user;
    QByteArray m_key;

    DaemonProcess &d() { return *m_daemon; }

    QString createChannel(const QString &provider, const QJsonObject &extra = {})
    {
        QJsonObject body{{s("name"), provider}, {s("provider"), provider}, {s("base_url"), m_fake.baseUrl()},
                         {s("secret"), QString(QStringLiteral("sk-upstream-") + provider)},
                         {s("types"), QJsonArray{s("chat"), s("embeddings")}}};
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            body.insert(it.key(), it.value());
        const auto r = d().admin("POST", s("/channels"), body);
        return r.json().value(s("id")).toString();
    }

    void createModel(const QString &id, const QString &family, const QString &upstreamModel, const QString &type = s("chat"),
                     const QJsonObject &extra = {})
    {
        QJsonObject body{{s("id"), id}, {s("type"), type},
                         {s("routes"), QJsonArray{obj({{s("channel"), m_channels.value(family)}, {s("upstream_model"), upstreamModel}})}}};
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            body.insert(it.key(), it.value());
        const auto r = d().admin("POST", s("/models"), body);
        QVERIFY2(r.status == 201, r.body.constData());
    }

    static QString modelFor(const QString &family) { return family + s("-chat"); }

    HttpResult call(const Caller &caller, const QString &path, const QJsonObject &body, const QByteArray &key = {})
    {
        return httpRequest("POST", d().url(path), compact(body), caller.headers(key.isEmpty() ? m_key : key));
    }

    QJsonObject usageOf(const HttpResult &r)
    {
        const QString id = QString::fromLatin1(r.header("x-request-id"));
        HttpResult u;
        for (int i = 0; i < 100; ++i) {
            u = d().admin("GET", s("/usage/") + id);
            if (u.status == 200)
                break;
            QTest::qWait(20);
        }
        return u.json();
    }

    static void addFamilyColumns()
    {
        QTest::addColumn<QString>("caller");
        QTest::addColumn<QString>("upstream");
        const QStringList families{s("openai"), s("anthropic"), s("gemini")};
        for (const QString &c : families) {
            for (const QString &u : families)
                QTest::newRow(qPrintable(c + s(" to ") + u)) << c << u;
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fake.startInThread());
        DaemonProcess::Options options;
        options.arguments = {s("--workers"), s("1"), s("--breaker-failures"), s("100")};
        m_daemon = std::make_unique<DaemonProcess>(options);
        QString error;
        QVERIFY2(m_daemon->start(&error), qPrintable(error));
        for (const QString &family : {s("openai"), s("anthropic"), s("gemini")}) {
            m_channels.insert(family, createChannel(family));
            createModel(modelFor(family), family, family + s("-upstream"));
        }
        createModel(s("gemini-embed"), s("gemini"), s("embed-upstream"), s("embeddings"));
        m_user = d().admin("POST", s("/users"), obj({{s("email"), s("families@example.com")}, {s("credits"), 1000}}))
                     .json().value(s("id")).toString();
        m_key = d().admin("POST", QStringLiteral("/users/%1/keys").arg(m_user), obj({{s("name"), s("families")}}))
                    .json().value(s("key")).toString().toLatin1();
        QVERIFY(m_key.startsWith("sk-"));
    }

    void cleanupTestCase()
    {
        if (m_daemon)
            QCOMPARE(m_daemon->stop(), 0);
    }

    void init() { m_fake.reset(); }

    void answersInTheCallersShape_data() { addFamilyColumns(); }
    void answersInTheCallersShape()
    {
        QFETCH(QString, caller);
        QFETCH(QString, upstream);
        const Caller c{caller};
        const QString model = modelFor(upstream);
        const auto r = call(c, c.chatPath(model, false), c.chatBody(model, false));
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject answer = r.json();
        QCOMPARE(c.answerText(answer), s("Echo: Say hello world"));
        // The public model name, never the upstream's.
        QVERIFY(!r.body.contains(QByteArray(upstream.toUtf8() + "-upstream")));

        // The upstream got its own shape, its own model name and the channel's credentials.
        const FakeRecordedRequest seen = m_fake.lastRequest();
        if (upstream == QLatin1String("openai")) {
            QCOMPARE(seen.path, s("/v1/chat/completions"));
            QCOMPARE(seen.jsonBody().value(s("model")).toString(), s("openai-upstream"));
            QCOMPARE(seen.header("authorization"), QByteArray("Bearer sk-upstream-openai"));
        } else if (upstream == QLatin1String("anthropic")) {
            QCOMPARE(seen.path, s("/v1/messages"));
            QCOMPARE(seen.jsonBody().value(s("model")).toString(), s("anthropic-upstream"));
            QCOMPARE(seen.header("x-api-key"), QByteArray("sk-upstream-anthropic"));
            QVERIFY(!seen.header("anthropic-version").isEmpty());
            QCOMPARE(seen.jsonBody().value(s("system")).toString(), s("Be brief."));
            QCOMPARE(seen.jsonBody().value(s("max_tokens")).toInt(), 50);
        } else {
            QCOMPARE(seen.path, s("/v1beta/models/gemini-upstream:generateContent"));
            QCOMPARE(seen.header("x-goog-api-key"), QByteArray("sk-upstream-gemini"));
            QCOMPARE(seen.jsonBody().value(s("generationConfig")).toObject().value(s("maxOutputTokens")).toInt(), 50);
            QVERIFY(seen.jsonBody().contains(s("systemInstruction")));
        }
        QVERIFY(!seen.body.contains(m_key));
        QVERIFY(!seen.query.contains(QString::fromLatin1(m_key)));

        // Usage as the upstream counted it: "Echo: Say hello world" is four words.
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(s("status")).toInt(), 200);
        QCOMPARE(usage.value(s("family")).toString(), caller);
        QCOMPARE(usage.value(s("channel")).toString(), m_channels.value(upstream));
        QCOMPARE(usage.value(s("estimated")).toBool(), false);
        QCOMPARE(usage.value(s("completion_tokens")).toInt(), 4);
        QVERIFY(usage.value(s("prompt_tokens")).toInt() > 0);
    }

    void streamsInTheCallersShape_data() { addFamilyColumns(); }
    void streamsInTheCallersShape()
    {
        QFETCH(QString, caller);
        QFETCH(QString, upstream);
        const Caller c{caller};
        const QString model = modelFor(upstream);
        const auto r = call(c, c.chatPath(model, true), c.chatBody(model, true, s("Stream these five words please")));
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(r.header("content-type").startsWith("text/event-stream"));
        bool complete = false;
        QCOMPARE(c.streamText(r.body, &complete), s("Echo: Stream these five words please"));
        QVERIFY2(complete, r.body.constData());
        QVERIFY(!r.body.contains(QByteArray(upstream.toUtf8() + "-upstream")));
        if (caller == QLatin1String("anthropic")) {
            // The real event sequence, in order.
            QList<QByteArray> names;
            for (const SseMessage &m : sseMessages(r.body)) {
                if (names.isEmpty() || names.last() != m.event)
                    names.append(m.event);
            }
            QCOMPARE(names.first(), QByteArray("message_start"));
            QVERIFY(names.contains("content_block_start"));
            QVERIFY(names.contains("content_block_delta"));
            QVERIFY(names.contains("content_block_stop"));
            QCOMPARE(names.at(names.size() - 2), QByteArray("message_delta"));
            QCOMPARE(names.last(), QByteArray("message_stop"));
        }
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(s("status")).toInt(), 200);
        QCOMPARE(usage.value(s("stream")).toBool(), true);
        QCOMPARE(usage.value(s("estimated")).toBool(), false);
        QCOMPARE(usage.value(s("completion_tokens")).toInt(), 6);
        QVERIFY(usage.value(s("prompt_tokens")).toInt() > 0);
        QCOMPARE(usage.value(s("delivered_chars")).toInt(), s("Echo: Stream these five words please").size());
    }

    void geminiStreamsAsAJsonArray_data()
    {
        QTest::addColumn<QString>("upstream");
        QTest::newRow("native") << s("gemini");
        QTest::newRow("translated") << s("anthropic");
    }
    void geminiStreamsAsAJsonArray()
    {
        QFETCH(QString, upstream);
        const Caller c{s("gemini")};
        const QString model = modelFor(upstream);
        const auto r = call(c, c.chatPath(model, true, false), c.chatBody(model, true));
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(r.header("content-type").startsWith("application/json"));
        QVERIFY(QJsonDocument::fromJson(r.body).isArray());
        bool complete = false;
        QCOMPARE(c.streamText(r.body, &complete, nullptr, nullptr, false), s("Echo: Say hello world"));
        QVERIFY(complete);
    }

    void callsToolsAcrossFamilies_data()
    {
        QTest::addColumn<QString>("caller");
        QTest::addColumn<QString>("upstream");
        QTest::addColumn<bool>("stream");
        const QStringList families{s("openai"), s("anthropic"), s("gemini")};
        for (const QString &c : families) {
            for (const QString &u : families) {
                QTest::newRow(qPrintable(c + s(" to ") + u)) << c << u << false;
                QTest::newRow(qPrintable(c + s(" to ") + u + s(", streamed"))) << c << u << true;
            }
        }
    }
    void callsToolsAcrossFamilies()
    {
        QFETCH(QString, caller);
        QFETCH(QString, upstream);
        QFETCH(bool, stream);
        const Caller c{caller};
        const QString model = modelFor(upstream);
        QJsonObject body = c.chatBody(model, stream, s("What is the weather in Paris?"));
        c.addForcedTool(body);
        const auto r = call(c, c.chatPath(model, stream), body);
        QVERIFY2(r.status == 200, r.body.constData());
        QString name;
        QJsonObject args;
        if (stream) {
            bool complete = false;
            c.streamText(r.body, &complete, &name, &args);
            QVERIFY2(complete, r.body.constData());
        } else {
            std::tie(name, args) = c.answerToolCall(r.json());
        }
        QCOMPARE(name, s("get_weather"));
        QCOMPARE(args.value(s("city")).toString(), s("fake"));
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(s("finish_reason")).toString().isEmpty(), false);
        QCOMPARE(usage.value(s("estimated")).toBool(), false);
    }

    void sendsToolResultsInTheUpstreamsShape_data()
    {
        QTest::addColumn<QString>("upstream");
        QTest::newRow("openai") << s("openai");
        QTest::newRow("anthropic") << s("anthropic");
        QTest::newRow("gemini") << s("gemini");
    }
    void sendsToolResultsInTheUpstreamsShape()
    {
        // An OpenAI caller's second turn: the assistant's call and the tool's answer.
        QFETCH(QString, upstream);
        const Caller c{s("openai")};
        const QJsonObject call1{{s("id"), s("call_abc")}, {s("type"), s("function")},
                                {s("function"), obj({{s("name"), s("get_weather")}, {s("arguments"), s("{\"city\":\"Paris\"}")}})}};
        QJsonObject body{{s("model"), modelFor(upstream)},
                         {s("messages"), QJsonArray{obj({{s("role"), s("user")}, {s("content"), s("Weather in Paris?")}}),
                                                    obj({{s("role"), s("assistant")}, {s("content"), QJsonValue()},
                                                         {s("tool_calls"), QJsonArray{call1}}}),
                                                    obj({{s("role"), s("tool")}, {s("tool_call_id"), s("call_abc")},
                                                         {s("content"), s("{\"temperature\":21}")}}),
                                                    obj({{s("role"), s("user")}, {s("content"), s("Thanks")}})}}};
        const auto r = call(c, c.chatPath(modelFor(upstream), false), body);
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject seen = m_fake.lastRequest().jsonBody();
        if (upstream == QLatin1String("anthropic")) {
            const QJsonArray messages = seen.value(s("messages")).toArray();
            QCOMPARE(messages.size(), 3); // user, assistant (tool_use), user (tool_result + Thanks)
            const QJsonObject use = messages.at(1).toObject().value(s("content")).toArray().last().toObject();
            QCOMPARE(use.value(s("type")).toString(), s("tool_use"));
            QCOMPARE(use.value(s("id")).toString(), s("call_abc"));
            QCOMPARE(use.value(s("input")).toObject().value(s("city")).toString(), s("Paris"));
            const QJsonObject result = messages.at(2).toObject().value(s("content")).toArray().first().toObject();
            QCOMPARE(result.value(s("type")).toString(), s("tool_result"));
            QCOMPARE(result.value(s("tool_use_id")).toString(), s("call_abc"));
        } else if (upstream == QLatin1String("gemini")) {
            const QJsonArray contents = seen.value(s("contents")).toArray();
            QCOMPARE(contents.size(), 3);
            QCOMPARE(contents.at(1).toObject().value(s("role")).toString(), s("model"));
            const QJsonObject fc = contents.at(1).toObject().value(s("parts")).toArray().first().toObject().value(s("functionCall")).toObject();
            QCOMPARE(fc.value(s("name")).toString(), s("get_weather"));
            const QJsonObject fr = contents.at(2).toObject().value(s("parts")).toArray().first().toObject().value(s("functionResponse")).toObject();
            QCOMPARE(fr.value(s("name")).toString(), s("get_weather"));
            QCOMPARE(fr.value(s("response")).toObject().value(s("temperature")).toInt(), 21);
        } else {
            // Same family: passed through as sent, but for the model name.
            QCOMPARE(seen.value(s("messages")).toArray().size(), 4);
            QCOMPARE(seen.value(s("messages")).toArray().at(2).toObject().value(s("tool_call_id")).toString(), s("call_abc"));
        }
    }

    void upstreamRefusalsReachCallersInTheirShape_data() { addFamilyColumns(); }
    void upstreamRefusalsReachCallersInTheirShape()
    {
        QFETCH(QString, caller);
        QFETCH(QString, upstream);
        const Caller c{caller};
        const QString model = modelFor(upstream);
        m_fake.enqueue(FakeBehavior().withStatus(400).withErrorMessage(s("The prompt is not acceptable")));
        const auto r = call(c, c.chatPath(model, false), c.chatBody(model, false));
        QCOMPARE(r.status, 400);
        QCOMPARE(c.errorMessage(r.json()), s("The prompt is not acceptable"));

        m_fake.enqueue(FakeBehavior().withStatus(401));
        const auto auth = call(c, c.chatPath(model, true), c.chatBody(model, true));
        QCOMPARE(auth.status, 502); // the gateway's credentials: not the caller's fault
        QVERIFY(!c.errorMessage(auth.json()).isEmpty());
    }

    void refusesWhatCannotBeTranslated()
    {
        const Caller openai{s("openai")};
        QJsonObject body = openai.chatBody(modelFor(s("anthropic")), false);
        body.insert(s("logprobs"), true);
        auto r = call(openai, openai.chatPath(QString(), false), body);
        QCOMPARE(r.status, 400);
        QVERIFY2(openai.errorMessage(r.json()).contains(s("logprobs")), r.body.constData());
        QCOMPARE(m_fake.requestCount(), 0);

        body = openai.chatBody(modelFor(s("anthropic")), false);
        body.insert(s("response_format"), obj({{s("type"), s("json_object")}}));
        r = call(openai, openai.chatPath(QString(), false), body);
        QCOMPARE(r.status, 400);
        QVERIFY2(openai.errorMessage(r.json()).contains(s("JSON")), r.body.constData());

        // The same request to a channel that can take it goes through.
        r = call(openai, openai.chatPath(QString(), false), [&] {
            QJsonObject b = openai.chatBody(modelFor(s("gemini")), false);
            b.insert(s("response_format"), obj({{s("type"), s("json_object")}}));
            return b;
        }());
        QCOMPARE(r.status, 200);
        QCOMPARE(m_fake.lastRequest().jsonBody().value(s("generationConfig")).toObject().value(s("responseMimeType")).toString(),
                 s("application/json"));

        // An image by URL cannot go to Gemini, which takes images inline.
        QJsonObject image{{s("model"), modelFor(s("gemini"))},
                          {s("messages"), QJsonArray{obj({{s("role"), s("user")},
                                                          {s("content"), QJsonArray{obj({{s("type"), s("text")}, {s("text"), s("What is it?")}}),
                                                                                    obj({{s("type"), s("image_url")},
                                                                                         {s("image_url"), obj({{s("url"), s("https://example.com/cat.png")}})}})}}})}}};
        r = call(openai, openai.chatPath(QString(), false), image);
        QCOMPARE(r.status, 400);
        QVERIFY2(openai.errorMessage(r.json()).contains(s("URL")), r.body.constData());
    }

    void passesAnthropicHeadersToAnthropicChannels()
    {
        const Caller c{s("anthropic")};
        Headers headers = c.headers(m_key);
        headers.append(qMakePair(QByteArray("anthropic-beta"), QByteArray("prompt-caching-2024-07-31")));
        headers.removeIf([](const auto &h) { return h.first == "anthropic-version"; });
        headers.append(qMakePair(QByteArray("anthropic-version"), QByteArray("2026-01-01"))); // any version is accepted
        const auto r = httpRequest("POST", d().url(s("/anthropic/v1/messages")), compact(c.chatBody(modelFor(s("anthropic")), false)),
                                   headers);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(m_fake.lastRequest().header("anthropic-version"), QByteArray("2026-01-01"));
        QCOMPARE(m_fake.lastRequest().header("anthropic-beta"), QByteArray("prompt-caching-2024-07-31"));

        // A translated call gets the stable version and no betas.
        const Caller openai{s("openai")};
        QCOMPARE(call(openai, openai.chatPath(QString(), false), openai.chatBody(modelFor(s("anthropic")), false)).status, 200);
        QCOMPARE(m_fake.lastRequest().header("anthropic-version"), QByteArray("2023-06-01"));
        QVERIFY(m_fake.lastRequest().header("anthropic-beta").isEmpty());
    }

    void billsNativeCacheAndThinkingTokens()
    {
        // Anthropic: cache reads and writes are part of the prompt.
        const Caller anthropic{s("anthropic")};
        m_fake.enqueue(FakeBehavior::fromSpec(u"cache_read=100,cache_write=20"));
        auto r = call(anthropic, anthropic.chatPath(QString(), false), anthropic.chatBody(modelFor(s("anthropic")), false));
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject reported = r.json().value(s("usage")).toObject();
        QCOMPARE(reported.value(s("cache_read_input_tokens")).toInt(), 100);
        auto usage = usageOf(r);
        QCOMPARE(usage.value(s("cached_tokens")).toInt(), 100);
        QCOMPARE(usage.value(s("cache_write_tokens")).toInt(), 20);
        QCOMPARE(usage.value(s("prompt_tokens")).toInt(), reported.value(s("input_tokens")).toInt() + 120);

        // Gemini: thoughts are output.
        const Caller gemini{s("gemini")};
        m_fake.enqueue(FakeBehavior::fromSpec(u"thoughts=30"));
        r = call(gemini, gemini.chatPath(modelFor(s("gemini")), true), gemini.chatBody(modelFor(s("gemini")), true));
        QVERIFY2(r.status == 200, r.body.constData());
        usage = usageOf(r);
        QCOMPARE(usage.value(s("completion_tokens")).toInt(), 4 + 30);
        QCOMPARE(usage.value(s("reasoning_tokens")).toInt(), 30);
    }

    void cutStreamsEndWithAnErrorInTheCallersShape_data() { addFamilyColumns(); }
    void cutStreamsEndWithAnErrorInTheCallersShape()
    {
        QFETCH(QString, caller);
        QFETCH(QString, upstream);
        const Caller c{caller};
        const QString model = modelFor(upstream);
        m_fake.enqueue(FakeBehavior().withCutAfterEvents(4));
        const auto r = call(c, c.chatPath(model, true), c.chatBody(model, true, s("one two three four five six seven eight")));
        QCOMPARE(r.status, 200);
        bool complete = true;
        c.streamText(r.body, &complete);
        QVERIFY2(!complete, r.body.constData());
        // The last thing the caller reads is an error it understands.
        const QList<SseMessage> messages = sseMessages(r.body);
        QVERIFY(!messages.isEmpty());
        QVERIFY2(!c.errorMessage(messages.last().data.toObject()).isEmpty(), r.body.constData());
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(s("cut_reason")).toString(), s("upstream_cut"));
    }

    void streamErrorsBeforeContentFallBack()
    {
        // Anthropic's overloaded error inside a stream, before any content,
        // is a failed attempt: the next channel answers.
        QJsonObject body{{s("id"), s("fallback-chat")}, {s("type"), s("chat")},
                         {s("routes"), QJsonArray{obj({{s("channel"), m_channels.value(s("anthropic"))}, {s("priority"), 10},
                                                       {s("upstream_model"), s("fake:stream_error=overloaded_error,stream_error_after=0")}}),
                                                  obj({{s("channel"), m_channels.value(s("openai"))}, {s("priority"), 1},
                                                       {s("upstream_model"), s("gpt-backup")}})}},
                         {s("fallback"), obj({{s("on"), QJsonArray{s("5xx"), s("timeout"), s("connect")}}})}};
        const auto created = d().admin("POST", s("/models"), body);
        QVERIFY2(created.status == 201, created.body.constData());
        const Caller c{s("openai")};
        const auto r = call(c, c.chatPath(QString(), true), c.chatBody(s("fallback-chat"), true));
        QCOMPARE(r.status, 200);
        bool complete = false;
        c.streamText(r.body, &complete);
        QVERIFY2(complete, r.body.constData());
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(s("attempts")).toArray().size(), 2);
        QCOMPARE(usage.value(s("channel")).toString(), m_channels.value(s("openai")));

        // After content went out, the error ends the caller's stream instead,
        // in the caller's shape, and what was delivered is charged.
        body.insert(s("id"), s("late-error-chat"));
        QJsonArray routes = body.value(s("routes")).toArray();
        QJsonObject first = routes.at(0).toObject();
        first.insert(s("upstream_model"), s("fake:stream_error=overloaded_error,stream_error_after=2"));
        routes.replace(0, first);
        body.insert(s("routes"), routes);
        QCOMPARE(d().admin("POST", s("/models"), body).status, 201);
        const Caller gemini{s("gemini")};
        const auto late = call(gemini, gemini.chatPath(s("late-error-chat"), true), gemini.chatBody(s("late-error-chat"), true));
        QCOMPARE(late.status, 200);
        bool lateComplete = true;
        QVERIFY(!gemini.streamText(late.body, &lateComplete).isEmpty());
        QVERIFY(!lateComplete);
        const QList<SseMessage> events = sseMessages(late.body);
        QVERIFY2(gemini.errorMessage(events.last().data.toObject()).contains(s("Overloaded")), late.body.constData());
        const QJsonObject lateUsage = usageOf(late);
        QCOMPARE(lateUsage.value(s("attempts")).toArray().size(), 1);
        QCOMPARE(lateUsage.value(s("error_code")).toString(), s("stream_interrupted"));
        QVERIFY(lateUsage.value(s("completion_tokens")).toInt() > 0);
    }

    void geminiKeysFromEverySource()
    {
        const Caller c{s("gemini")};
        const QByteArray body = compact(c.chatBody(modelFor(s("openai")), false));
        const QString path = c.chatPath(modelFor(s("openai")), false);
        auto r = httpRequest("POST", d().url(path + s("?key=") + QString::fromLatin1(m_key)), body, {{"content-type", "application/json"}});
        QCOMPARE(r.status, 200);
        r = httpRequest("POST", d().url(s("/gemini") + path), body, {{"x-goog-api-key", m_key}, {"content-type", "application/json"}});
        QCOMPARE(r.status, 200);
        r = httpRequest("POST", d().url(path), body, {{"x-goog-api-key", "sk-wrong"}, {"content-type", "application/json"}});
        QCOMPARE(r.status, 401);
        QVERIFY(!c.errorMessage(r.json()).isEmpty());
        QCOMPARE(r.json().value(s("error")).toObject().value(s("status")).toString(), s("UNAUTHENTICATED"));
    }

    void badBodiesGetErrorsInTheCallersShape()
    {
        const Caller anthropic{s("anthropic")};
        auto r = httpRequest("POST", d().url(s("/v1/messages")), "{not json", anthropic.headers(m_key));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(s("error")).toObject().value(s("type")).toString(), s("invalid_request_error"));
        QJsonObject noMax = anthropic.chatBody(modelFor(s("anthropic")), false);
        noMax.remove(s("max_tokens"));
        r = call(anthropic, s("/v1/messages"), noMax);
        QCOMPARE(r.status, 400);
        QVERIFY(anthropic.errorMessage(r.json()).contains(s("max_tokens")));
        r = call(anthropic, s("/v1/messages"), anthropic.chatBody(s("no-such-model"), false));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(s("error")).toObject().value(s("type")).toString(), s("not_found_error"));

        const Caller gemini{s("gemini")};
        r = call(gemini, gemini.chatPath(modelFor(s("gemini")), false), obj({{s("contents"), s("nope")}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(s("error")).toObject().value(s("status")).toString(), s("INVALID_ARGUMENT"));
        r = call(gemini, gemini.chatPath(s("no-such-model"), false), gemini.chatBody(s("x"), false));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(s("error")).toObject().value(s("status")).toString(), s("NOT_FOUND"));
        QCOMPARE(m_fake.requestCount(), 0);
    }

    void countsTokens()
    {
        const Caller anthropic{s("anthropic")};
        QJsonObject body = anthropic.chatBody(modelFor(s("openai")), false);
        body.remove(s("max_tokens"));
        auto r = call(anthropic, s("/v1/messages/count_tokens"), body);
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(r.json().value(s("input_tokens")).toInt() > 0);

        const Caller gemini{s("gemini")};
        r = call(gemini, QStringLiteral("/v1beta/models/%1:countTokens").arg(modelFor(s("anthropic"))),
                 obj({{s("contents"), gemini.chatBody(QString(), false).value(s("contents"))}}));
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(r.json().value(s("totalTokens")).toInt() > 0);
    }

    void listsModelsInEachShape()
    {
        const Caller gemini{s("gemini")};
        auto r = httpRequest("GET", d().url(s("/v1beta/models")), {}, gemini.headers(m_key));
        QCOMPARE(r.status, 200);
        QStringList names;
        for (const QJsonValue &m : r.json().value(s("models")).toArray())
            names.append(m.toObject().value(s("name")).toString());
        QVERIFY2(names.contains(s("models/anthropic-chat")), qPrintable(names.join(u',')));
        r = httpRequest("GET", d().url(s("/gemini/v1beta/models/gemini-embed")), {}, gemini.headers(m_key));
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().value(s("supportedGenerationMethods")).toArray().contains(s("embedContent")));

        const Caller anthropic{s("anthropic")};
        r = httpRequest("GET", d().url(s("/anthropic/v1/models")), {}, anthropic.headers(m_key));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(s("data")).toArray().first().toObject().value(s("type")).toString(), s("model"));
        r = httpRequest("GET", d().url(s("/v1/models")), {}, anthropic.headers(m_key));
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().contains(s("has_more")));
    }

    void embedsWithGemini()
    {
        const Caller gemini{s("gemini")};
        auto r = call(gemini, s("/v1beta/models/gemini-embed:embedContent"),
                      obj({{s("content"), obj({{s("parts"), QJsonArray{obj({{s("text"), s("hello embeddings")}})}}})}}));
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.json().value(s("embedding")).toObject().value(s("values")).toArray().size(), 8);
        QCOMPARE(m_fake.lastRequest().path, s("/v1beta/models/embed-upstream:embedContent"));
        r = call(gemini, s("/v1beta/models/gemini-embed:batchEmbedContents"),
                 obj({{s("requests"), QJsonArray{obj({{s("model"), s("models/gemini-embed")},
                                                      {s("content"), obj({{s("parts"), QJsonArray{obj({{s("text"), s("a")}})}}})}}),
                                                 obj({{s("model"), s("models/gemini-embed")},
                                                      {s("content"), obj({{s("parts"), QJsonArray{obj({{s("text"), s("b")}})}}})}})}}}));
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.json().value(s("embeddings")).toArray().size(), 2);
        QCOMPARE(m_fake.lastRequest().jsonBody().value(s("requests")).toArray().first().toObject().value(s("model")).toString(),
                 s("models/embed-upstream"));
        const QJsonObject usage = usageOf(r);
        QCOMPARE(usage.value(s("endpoint")).toString(), s("embeddings"));
        QVERIFY(usage.value(s("prompt_tokens")).toInt() > 0);
    }
};

QTEST_GUILESS_MAIN(TestFamilies)
#include "tst_families.moc"
