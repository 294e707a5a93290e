#include "fakeanthropichandler.h"
#include "fakegeminihandler.h"
#include "fakeopenaihandler.h"
#include "fakeupstream.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>

#include <bit>

using gw::test::FakeAnthropicHandler;
using gw::test::FakeBehavior;
using gw::test::FakeGeminiHandler;
using gw::test::FakeOpenAiHandler;
using gw::test::FakeUpstream;

namespace {

struct Response
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QNetworkReply *reply = nullptr; // for headers; owned by the test's manager

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray header(const char *name) const { return reply->rawHeader(name); }
};

struct Event
{
    QByteArray data;
    qint64 atMs;
};

QJsonObject chatRequest(const QString &model, const QString &text)
{
    QJsonObject message;
    message.insert(QStringLiteral("role"), QStringLiteral("user"));
    message.insert(QStringLiteral("content"), text);
    QJsonObject request;
    request.insert(QStringLiteral("model"), model);
    request.insert(QStringLiteral("messages"), QJsonArray{message});
    return request;
}

using Headers = QList<std::pair<QByteArray, QByteArray>>;

struct StreamEvent
{
    QByteArray name; // the "event:" line, empty when there is none
    QByteArray data;
    qint64 atMs;

    QJsonObject json() const { return QJsonDocument::fromJson(data).object(); }
};

struct Streamed
{
    QList<StreamEvent> events;
    QByteArray body;         // de-chunked, as received
    QList<qint64> readsAtMs; // arrival of each piece
    QNetworkReply *reply = nullptr;

    QList<QByteArray> names() const
    {
        QList<QByteArray> result;
        for (const StreamEvent &event : events)
            result.append(event.name);
        return result;
    }
};

const Headers kAnthropicHeaders{{QByteArrayLiteral("x-api-key"), QByteArrayLiteral("sk-ant-test")},
                                {QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01")}};

QJsonObject anthropicRequest(const QString &model, const QJsonValue &content, int maxTokens = 100)
{
    QJsonObject message;
    message.insert(QStringLiteral("role"), QStringLiteral("user"));
    message.insert(QStringLiteral("content"), content);
    QJsonObject request;
    request.insert(QStringLiteral("model"), model);
    request.insert(QStringLiteral("max_tokens"), maxTokens);
    request.insert(QStringLiteral("messages"), QJsonArray{message});
    return request;
}

QJsonObject textPart(const QString &text)
{
    return QJsonObject{{QStringLiteral("text"), text}};
}

QJsonObject geminiContent(const QString &role, const QJsonArray &parts)
{
    QJsonObject content;
    if (!role.isEmpty())
        content.insert(QStringLiteral("role"), role);
    content.insert(QStringLiteral("parts"), parts);
    return content;
}

QJsonObject geminiRequest(const QString &text)
{
    return QJsonObject{{QStringLiteral("contents"), QJsonArray{geminiContent(QStringLiteral("user"), {textPart(text)})}}};
}

QJsonObject errorOf(const Response &response)
{
    return response.json().value(QLatin1String("error")).toObject();
}

// The concatenated text of Gemini chunks' first candidates.
QString geminiText(const QJsonArray &chunks)
{
    QString text;
    for (const QJsonValue &chunk : chunks) {
        const QJsonArray parts = chunk.toObject().value(QLatin1String("candidates")).toArray().first().toObject()
                                     .value(QLatin1String("content")).toObject().value(QLatin1String("parts")).toArray();
        for (const QJsonValue &part : parts)
            text += part.toObject().value(QLatin1String("text")).toString();
    }
    return text;
}

QJsonObject firstCandidate(const QJsonObject &response)
{
    return response.value(QLatin1String("candidates")).toArray().first().toObject();
}

} // namespace

class TestFakeUpstream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void chatCompletionShapeAndUsage();
    void chatCompletionMaxTokensAndToolCall();
    void streamEventsArriveSeparately();
    void streamUsageOnlyWhenAsked();
    void embeddingsBase64MatchesFloats();
    void modelsListIncludesSeenModels();
    void queuedErrorIsConsumedOnce();
    void queuedBehaviorHonoursPath();
    void modelSpecSelectsBehavior();
    void badModelSpecIsRejected();
    void invalidJsonIs400();
    void apiKeyChecked();
    void hangCountsClientAbort();
    void delayedStreamCountsClientAbort();
    void cutAfterEventsClosesMidStream();
    void cutJsonSendsHalfTheBody();
    void malformedBody();
    void delayHoldsTheHeaders();
    void controlApi();
    void recordsRequests();
    void openAiCacheAndReasoningUsage();
    void newBehaviorFieldsThroughControlApi();

    void anthropicMessageShapeAndUsage();
    void anthropicAuthAndValidation();
    void anthropicStopReasons();
    void anthropicToolUse();
    void anthropicStreamEvents();
    void anthropicStreamFaults();
    void anthropicErrorsByStatus();
    void anthropicCountTokensAndModels();

    void geminiGenerateContentShape();
    void geminiAuthAndErrors();
    void geminiModelSpecInPath();
    void geminiLimitsCandidatesAndFunctionCalls();
    void geminiSseStream();
    void geminiJsonArrayStream();
    void geminiCountTokensEmbeddingsAndModels();
    void sameThreadStart();
    void standaloneProcess();

private:
    QNetworkReply *send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                        const QByteArray &apiKey = QByteArrayLiteral("sk-test"));
    Response finish(QNetworkReply *reply);
    Response post(const QString &path, const QJsonObject &body);
    Response get(const QString &path);
    // The SSE events of a streaming request, stamped with their arrival.
    QList<Event> stream(const QJsonObject &body, QNetworkReply::NetworkError *error = nullptr);
    // Sends raw bytes and reads until the server closes.
    QByteArray raw(const QByteArray &request, int timeoutMs = 3000);
    QByteArray rawPost(const QByteArray &body);
    // A request with exactly these headers (and a JSON content type).
    QNetworkReply *sendWith(const QByteArray &method, const QString &path, const QByteArray &body, const Headers &headers);
    // POST with x-api-key and anthropic-version, plus extra headers.
    Response anthropic(const QString &path, const QJsonObject &body, const Headers &extra = {});
    QNetworkReply *anthropicReply(const QJsonObject &body);
    // POST with x-goog-api-key; path may carry a query.
    Response gemini(const QString &path, const QJsonObject &body);
    QNetworkReply *geminiReply(const QString &path, const QJsonObject &body);
    // Reads a streaming reply to its end: named or unnamed SSE events (LF or
    // CRLF framed), the whole body and when each piece arrived.
    Streamed streamWith(QNetworkReply *reply);

    FakeUpstream m_fake;
    QNetworkAccessManager m_manager;
};

void TestFakeUpstream::initTestCase()
{
    QVERIFY2(m_fake.startInThread(), qPrintable(m_fake.errorString()));
    QVERIFY(m_fake.port() != 0);
    QCOMPARE(m_fake.baseUrl(), QStringLiteral("http://127.0.0.1:") + QString::number(m_fake.port()));
}

void TestFakeUpstream::init()
{
    m_fake.reset();
}

void TestFakeUpstream::cleanupTestCase()
{
    m_fake.stop();
    QVERIFY(!m_fake.isRunning());
}

QNetworkReply *TestFakeUpstream::send(const QByteArray &method, const QString &path, const QByteArray &body,
                                      const QByteArray &apiKey)
{
    QNetworkRequest request(QUrl(m_fake.baseUrl() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!apiKey.isEmpty())
        request.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + apiKey);
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);
    reply->setParent(this);
    return reply;
}

Response TestFakeUpstream::finish(QNetworkReply *reply)
{
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(5000);
    }
    Response response;
    response.reply = reply;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.error = reply->error();
    response.body = reply->readAll();
    return response;
}

Response TestFakeUpstream::post(const QString &path, const QJsonObject &body)
{
    return finish(send(QByteArrayLiteral("POST"), path, QJsonDocument(body).toJson(QJsonDocument::Compact)));
}

Response TestFakeUpstream::get(const QString &path)
{
    return finish(send(QByteArrayLiteral("GET"), path));
}

QList<Event> TestFakeUpstream::stream(const QJsonObject &body, QNetworkReply::NetworkError *error)
{
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = send(QByteArrayLiteral("POST"), QStringLiteral("/v1/chat/completions"),
                                QJsonDocument(body).toJson(QJsonDocument::Compact));
    QList<Event> events;
    QByteArray buffer;
    auto drain = [&] {
        buffer += reply->readAll();
        qsizetype end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
            const QByteArray event = buffer.left(end);
            buffer.remove(0, end + 2);
            if (event.startsWith("data: "))
                events.append({event.mid(6), clock.elapsed()});
        }
    };
    connect(reply, &QNetworkReply::readyRead, this, drain);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(5000);
    drain();
    if (error)
        *error = reply->error();
    return events;
}

QByteArray TestFakeUpstream::raw(const QByteArray &request, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_fake.port());
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(request);
    QByteArray received;
    QElapsedTimer clock;
    clock.start();
    while (socket.state() == QAbstractSocket::ConnectedState && clock.elapsed() < timeoutMs) {
        socket.waitForReadyRead(50);
        received += socket.readAll();
    }
    received += socket.readAll();
    return received;
}

QByteArray TestFakeUpstream::rawPost(const QByteArray &body)
{
    return raw(QByteArrayLiteral("POST /v1/chat/completions HTTP/1.1\r\nHost: fake\r\nConnection: close\r\n"
                                 "Authorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: ")
               + QByteArray::number(body.size()) + QByteArrayLiteral("\r\n\r\n") + body);
}

void TestFakeUpstream::chatCompletionShapeAndUsage()
{
    const Response response = post(QStringLiteral("/v1/chat/completions"),
                                   chatRequest(QStringLiteral("gpt-4o-mini"), QStringLiteral("hello  big\nworld")));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("x-request-id"), QByteArrayLiteral("fake-req-1"));
    QVERIFY(response.header("content-type").startsWith("application/json"));
    const QJsonObject json = response.json();
    QCOMPARE(json.value(QLatin1String("id")).toString(), QStringLiteral("chatcmpl-fake-1"));
    QCOMPARE(json.value(QLatin1String("object")).toString(), QStringLiteral("chat.completion"));
    QCOMPARE(json.value(QLatin1String("model")).toString(), QStringLiteral("gpt-4o-mini"));
    QVERIFY(json.value(QLatin1String("created")).isDouble());
    const QJsonObject choice = json.value(QLatin1String("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QLatin1String("index")).toInt(), 0);
    QCOMPARE(choice.value(QLatin1String("finish_reason")).toString(), QStringLiteral("stop"));
    const QJsonObject message = choice.value(QLatin1String("message")).toObject();
    QCOMPARE(message.value(QLatin1String("role")).toString(), QStringLiteral("assistant"));
    QCOMPARE(message.value(QLatin1String("content")).toString(), QStringLiteral("Echo: hello big world"));
    const QJsonObject usage = json.value(QLatin1String("usage")).toObject();
    QCOMPARE(usage.value(QLatin1String("prompt_tokens")).toInt(), 3 + 3);
    QCOMPARE(usage.value(QLatin1String("completion_tokens")).toInt(), 4);
    QCOMPARE(usage.value(QLatin1String("total_tokens")).toInt(), 10);

    // Ids count up per request.
    const Response second = post(QStringLiteral("/v1/chat/completions"),
                                 chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("again")));
    QCOMPARE(second.header("x-request-id"), QByteArrayLiteral("fake-req-2"));
}

void TestFakeUpstream::chatCompletionMaxTokensAndToolCall()
{
    QJsonObject request = chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("one two three four"));
    request.insert(QStringLiteral("max_tokens"), 2);
    Response response = post(QStringLiteral("/v1/chat/completions"), request);
    QJsonObject choice = response.json().value(QLatin1String("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QLatin1String("message")).toObject().value(QLatin1String("content")).toString(),
             QStringLiteral("Echo: one"));
    QCOMPARE(choice.value(QLatin1String("finish_reason")).toString(), QStringLiteral("length"));

    QJsonObject parameters;
    QJsonObject properties;
    properties.insert(QStringLiteral("city"), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}});
    parameters.insert(QStringLiteral("type"), QStringLiteral("object"));
    parameters.insert(QStringLiteral("properties"), properties);
    QJsonObject function;
    function.insert(QStringLiteral("name"), QStringLiteral("get_weather"));
    function.insert(QStringLiteral("parameters"), parameters);
    QJsonObject tool;
    tool.insert(QStringLiteral("type"), QStringLiteral("function"));
    tool.insert(QStringLiteral("function"), function);
    request = chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("please call tool now"));
    request.insert(QStringLiteral("tools"), QJsonArray{tool});
    response = post(QStringLiteral("/v1/chat/completions"), request);
    choice = response.json().value(QLatin1String("choices")).toArray().first().toObject();
    QCOMPARE(choice.value(QLatin1String("finish_reason")).toString(), QStringLiteral("tool_calls"));
    const QJsonObject call = choice.value(QLatin1String("message")).toObject().value(QLatin1String("tool_calls"))
                                 .toArray().first().toObject();
    QCOMPARE(call.value(QLatin1String("type")).toString(), QStringLiteral("function"));
    QCOMPARE(call.value(QLatin1String("function")).toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("get_weather"));
    const QJsonObject arguments = QJsonDocument::fromJson(
        call.value(QLatin1String("function")).toObject().value(QLatin1String("arguments")).toString().toUtf8()).object();
    QCOMPARE(arguments.value(QLatin1String("city")).toString(), QStringLiteral("fake"));

    // Streamed tool calls arrive as deltas whose arguments concatenate.
    request.insert(QStringLiteral("stream"), true);
    const QList<Event> events = stream(request);
    QString streamedArguments;
    QString finish;
    for (const Event &event : events) {
        const QJsonObject chunkChoice = QJsonDocument::fromJson(event.data).object().value(QLatin1String("choices"))
                                            .toArray().first().toObject();
        const QJsonArray calls = chunkChoice.value(QLatin1String("delta")).toObject().value(QLatin1String("tool_calls")).toArray();
        if (!calls.isEmpty())
            streamedArguments += calls.first().toObject().value(QLatin1String("function")).toObject()
                                     .value(QLatin1String("arguments")).toString();
        if (chunkChoice.value(QLatin1String("finish_reason")).isString())
            finish = chunkChoice.value(QLatin1String("finish_reason")).toString();
    }
    QCOMPARE(QJsonDocument::fromJson(streamedArguments.toUtf8()).object(), arguments);
    QCOMPARE(finish, QStringLiteral("tool_calls"));
}

void TestFakeUpstream::streamEventsArriveSeparately()
{
    m_fake.enqueue(FakeBehavior().withStreamInterval(60));
    QJsonObject request = chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("hello big world"));
    request.insert(QStringLiteral("stream"), true);
    const QList<Event> events = stream(request);
    // role, 4 words, finish, [DONE]
    QCOMPARE(events.size(), 7);
    QCOMPARE(events.last().data, QByteArrayLiteral("[DONE]"));
    for (qsizetype i = 1; i < events.size(); ++i)
        QVERIFY2(events.at(i).atMs - events.at(i - 1).atMs >= 40,
                 qPrintable(QStringLiteral("event %1 arrived with the previous one").arg(i)));

    QString text;
    for (qsizetype i = 0; i + 1 < events.size(); ++i) {
        const QJsonObject chunk = QJsonDocument::fromJson(events.at(i).data).object();
        QCOMPARE(chunk.value(QLatin1String("object")).toString(), QStringLiteral("chat.completion.chunk"));
        QCOMPARE(chunk.value(QLatin1String("id")).toString(), QStringLiteral("chatcmpl-fake-1"));
        const QJsonObject choice = chunk.value(QLatin1String("choices")).toArray().first().toObject();
        text += choice.value(QLatin1String("delta")).toObject().value(QLatin1String("content")).toString();
        if (i == 0)
            QCOMPARE(choice.value(QLatin1String("delta")).toObject().value(QLatin1String("role")).toString(),
                     QStringLiteral("assistant"));
        QCOMPARE(choice.value(QLatin1String("finish_reason")).isString(), i == events.size() - 2);
    }
    QCOMPARE(text, QStringLiteral("Echo: hello big world"));
}

void TestFakeUpstream::streamUsageOnlyWhenAsked()
{
    QJsonObject request = chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("hi"));
    request.insert(QStringLiteral("stream"), true);
    QList<Event> events = stream(request);
    for (const Event &event : std::as_const(events))
        QVERIFY(!event.data.contains("\"usage\""));

    request.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
    events = stream(request);
    QCOMPARE(events.last().data, QByteArrayLiteral("[DONE]"));
    const QJsonObject usageChunk = QJsonDocument::fromJson(events.at(events.size() - 2).data).object();
    QVERIFY(usageChunk.value(QLatin1String("choices")).toArray().isEmpty());
    const QJsonObject usage = usageChunk.value(QLatin1String("usage")).toObject();
    QCOMPARE(usage.value(QLatin1String("prompt_tokens")).toInt(), 4);
    QCOMPARE(usage.value(QLatin1String("completion_tokens")).toInt(), 2);
    QCOMPARE(usage.value(QLatin1String("total_tokens")).toInt(), 6);

    request.insert(QStringLiteral("model"), QStringLiteral("fake:nousage"));
    events = stream(request);
    QCOMPARE(events.last().data, QByteArrayLiteral("[DONE]"));
    for (const Event &event : std::as_const(events))
        QVERIFY(!event.data.contains("\"usage\":{"));
}

void TestFakeUpstream::embeddingsBase64MatchesFloats()
{
    QJsonObject request;
    request.insert(QStringLiteral("model"), QStringLiteral("text-embedding-3-small"));
    request.insert(QStringLiteral("input"), QJsonArray{QStringLiteral("first text"), QStringLiteral("second")});
    const Response floats = post(QStringLiteral("/v1/embeddings"), request);
    QCOMPARE(floats.status, 200);
    request.insert(QStringLiteral("encoding_format"), QStringLiteral("base64"));
    const Response base64 = post(QStringLiteral("/v1/embeddings"), request);
    QCOMPARE(base64.status, 200);

    const QJsonArray floatData = floats.json().value(QLatin1String("data")).toArray();
    const QJsonArray base64Data = base64.json().value(QLatin1String("data")).toArray();
    QCOMPARE(floatData.size(), 2);
    QCOMPARE(base64Data.size(), 2);
    for (qsizetype i = 0; i < 2; ++i) {
        const QJsonArray values = floatData.at(i).toObject().value(QLatin1String("embedding")).toArray();
        QCOMPARE(values.size(), FakeOpenAiHandler::kDefaultEmbeddingDimensions);
        const QByteArray bytes = QByteArray::fromBase64(
            base64Data.at(i).toObject().value(QLatin1String("embedding")).toString().toLatin1());
        QCOMPARE(bytes.size(), values.size() * 4);
        const QList<float> expected = FakeOpenAiHandler::embeddingFor(
            i == 0 ? QStringLiteral("first text") : QStringLiteral("second"), 8);
        for (qsizetype j = 0; j < values.size(); ++j) {
            const float decoded = std::bit_cast<float>(qFromLittleEndian<quint32>(bytes.constData() + j * 4));
            QCOMPARE(decoded, float(values.at(j).toDouble()));
            QCOMPARE(decoded, expected.at(j));
        }
    }
    QCOMPARE(floats.json().value(QLatin1String("usage")).toObject().value(QLatin1String("prompt_tokens")).toInt(), 3);

    request.insert(QStringLiteral("dimensions"), 16);
    request.insert(QStringLiteral("input"), QJsonArray{1, 2, 3});
    request.remove(QStringLiteral("encoding_format"));
    const Response tokens = post(QStringLiteral("/v1/embeddings"), request);
    QCOMPARE(tokens.status, 200);
    const QJsonArray data = tokens.json().value(QLatin1String("data")).toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(data.first().toObject().value(QLatin1String("embedding")).toArray().size(), 16);
    QCOMPARE(tokens.json().value(QLatin1String("usage")).toObject().value(QLatin1String("total_tokens")).toInt(), 3);
}

void TestFakeUpstream::modelsListIncludesSeenModels()
{
    post(QStringLiteral("/v1/chat/completions"), chatRequest(QStringLiteral("my-odd-model"), QStringLiteral("x")));
    const Response list = get(QStringLiteral("/v1/models"));
    QCOMPARE(list.status, 200);
    QStringList ids;
    const QJsonArray data = list.json().value(QLatin1String("data")).toArray();
    for (const QJsonValue &model : data)
        ids.append(model.toObject().value(QLatin1String("id")).toString());
    QVERIFY(ids.contains(QStringLiteral("gpt-4o")));
    QVERIFY(ids.contains(QStringLiteral("my-odd-model")));

    const Response one = get(QStringLiteral("/v1/models/gpt-4o"));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json().value(QLatin1String("id")).toString(), QStringLiteral("gpt-4o"));
    QCOMPARE(one.json().value(QLatin1String("object")).toString(), QStringLiteral("model"));

    const Response unknown = get(QStringLiteral("/v1/nothing"));
    QCOMPARE(unknown.status, 404);
    QVERIFY(unknown.json().value(QLatin1String("error")).isObject());
}

void TestFakeUpstream::queuedErrorIsConsumedOnce()
{
    m_fake.enqueue(FakeBehavior().withStatus(500));
    QCOMPARE(m_fake.queuedBehaviors(), 1);
    const Response failed = post(QStringLiteral("/v1/chat/completions"),
                                 chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("hi")));
    QCOMPARE(failed.status, 500);
    const QJsonObject error = failed.json().value(QLatin1String("error")).toObject();
    QVERIFY(!error.value(QLatin1String("message")).toString().isEmpty());
    QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("server_error"));
    QVERIFY(error.contains(QLatin1String("param")) && error.value(QLatin1String("param")).isNull());
    QVERIFY(error.contains(QLatin1String("code")));
    QCOMPARE(failed.header("x-request-id"), QByteArrayLiteral("fake-req-1"));
    QCOMPARE(m_fake.queuedBehaviors(), 0);

    const Response ok = post(QStringLiteral("/v1/chat/completions"),
                             chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("hi")));
    QCOMPARE(ok.status, 200);

    // count and a default behaviour: the queue wins while it lasts.
    m_fake.setDefaultBehavior(FakeBehavior::fromSpec(u"status=503,retry_after=7"));
    m_fake.enqueue(FakeBehavior().withStatus(429).withCount(2).withErrorMessage(QStringLiteral("slow down")));
    QCOMPARE(post(QStringLiteral("/v1/chat/completions"), chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a"))).status, 429);
    const Response limited = post(QStringLiteral("/v1/chat/completions"),
                                  chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a")));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString(),
             QStringLiteral("slow down"));
    const Response unavailable = post(QStringLiteral("/v1/chat/completions"),
                                      chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a")));
    QCOMPARE(unavailable.status, 503);
    QCOMPARE(unavailable.header("retry-after"), QByteArrayLiteral("7"));
}

void TestFakeUpstream::queuedBehaviorHonoursPath()
{
    m_fake.enqueue(FakeBehavior().withStatus(502).withPathContains(QStringLiteral("embeddings")));
    QJsonObject embedding;
    embedding.insert(QStringLiteral("model"), QStringLiteral("e"));
    embedding.insert(QStringLiteral("input"), QStringLiteral("x"));
    QCOMPARE(post(QStringLiteral("/v1/chat/completions"), chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a"))).status, 200);
    QCOMPARE(post(QStringLiteral("/v1/embeddings"), embedding).status, 502);
    QCOMPARE(post(QStringLiteral("/v1/embeddings"), embedding).status, 200);
}

void TestFakeUpstream::modelSpecSelectsBehavior()
{
    const Response limited = post(QStringLiteral("/v1/chat/completions"),
                                  chatRequest(QStringLiteral("fake:status=429,retry_after=2"), QStringLiteral("a")));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("retry-after"), QByteArrayLiteral("2"));
    QCOMPARE(limited.json().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString(),
             QStringLiteral("rate_limit_exceeded"));

    // A queued behaviour wins over the model's.
    m_fake.enqueue(FakeBehavior().withStatus(418).withBody(QByteArrayLiteral("{\"teapot\":true}")));
    const Response queued = post(QStringLiteral("/v1/chat/completions"),
                                 chatRequest(QStringLiteral("fake:status=500"), QStringLiteral("a")));
    QCOMPARE(queued.status, 418);
    QCOMPARE(queued.body, QByteArrayLiteral("{\"teapot\":true}"));

    const Response text = post(QStringLiteral("/v1/chat/completions"),
                               chatRequest(QStringLiteral("fake:text=fixed answer here"), QStringLiteral("a")));
    QCOMPARE(text.json().value(QLatin1String("choices")).toArray().first().toObject().value(QLatin1String("message"))
                 .toObject().value(QLatin1String("content")).toString(),
             QStringLiteral("fixed answer here"));
}

void TestFakeUpstream::badModelSpecIsRejected()
{
    const Response response = post(QStringLiteral("/v1/chat/completions"),
                                   chatRequest(QStringLiteral("fake:stauts=500"), QStringLiteral("a")));
    QCOMPARE(response.status, 400);
    QVERIFY(response.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString()
                .contains(QLatin1String("stauts")));
}

void TestFakeUpstream::invalidJsonIs400()
{
    const Response response = finish(send(QByteArrayLiteral("POST"), QStringLiteral("/v1/chat/completions"),
                                          QByteArrayLiteral("{\"model\": ")));
    QCOMPARE(response.status, 400);
    const QJsonObject error = response.json().value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(m_fake.requestCount(), 1);
}

void TestFakeUpstream::apiKeyChecked()
{
    Response missing = finish(send(QByteArrayLiteral("POST"), QStringLiteral("/v1/chat/completions"),
                                   QJsonDocument(chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a"))).toJson(),
                                   QByteArray()));
    QCOMPARE(missing.status, 401);

    m_fake.setRequiredApiKey(QStringLiteral("sk-right"));
    const QByteArray body = QJsonDocument(chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a"))).toJson();
    const Response wrong = finish(send(QByteArrayLiteral("POST"), QStringLiteral("/v1/chat/completions"), body,
                                       QByteArrayLiteral("sk-wrong")));
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.json().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString(),
             QStringLiteral("invalid_api_key"));
    const Response right = finish(send(QByteArrayLiteral("POST"), QStringLiteral("/v1/chat/completions"), body,
                                       QByteArrayLiteral("sk-right")));
    QCOMPARE(right.status, 200);
}

void TestFakeUpstream::hangCountsClientAbort()
{
    QSignalSpy aborted(&m_fake, &FakeUpstream::clientAborted);
    QNetworkReply *reply = send(QByteArrayLiteral("POST"), QStringLiteral("/v1/chat/completions"),
                                QJsonDocument(chatRequest(QStringLiteral("fake:hang"), QStringLiteral("a"))).toJson());
    QTRY_COMPARE(m_fake.requestCount(), 1);
    QTest::qWait(50);
    QVERIFY(!reply->isFinished());
    QCOMPARE(m_fake.clientAborts(), 0);
    reply->abort();
    QTRY_COMPARE(m_fake.clientAborts(), 1);
    QTRY_COMPARE(aborted.size(), 1);

    // A completed exchange followed by a close is not an abort.
    post(QStringLiteral("/v1/chat/completions"), chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a")));
    m_manager.clearConnectionCache();
    QTest::qWait(50);
    QCOMPARE(m_fake.clientAborts(), 1);
}

void TestFakeUpstream::delayedStreamCountsClientAbort()
{
    QSignalSpy aborted(&m_fake, &FakeUpstream::clientAborted);
    m_fake.enqueue(FakeBehavior().withStreamInterval(5000));
    QJsonObject request = chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a b c"));
    request.insert(QStringLiteral("stream"), true);
    QNetworkReply *reply = send(QByteArrayLiteral("POST"), QStringLiteral("/v1/chat/completions"),
                                QJsonDocument(request).toJson());
    QSignalSpy readyRead(reply, &QNetworkReply::readyRead);
    QVERIFY(readyRead.wait(3000));
    QVERIFY(reply->readAll().startsWith("data: "));
    reply->abort();
    QVERIFY(aborted.wait(3000));
    QCOMPARE(m_fake.clientAborts(), 1);
}

void TestFakeUpstream::cutAfterEventsClosesMidStream()
{
    m_fake.enqueue(FakeBehavior().withCutAfterEvents(2));
    QJsonObject request = chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("one two three"));
    request.insert(QStringLiteral("stream"), true);
    // QNAM 6.4 does not reliably report an error for a chunked body that ends
    // without its last chunk, so only the events are checked through it.
    const QList<Event> events = stream(request);
    QCOMPARE(events.size(), 2);
    QVERIFY(!events.last().data.contains("[DONE]"));

    // On the wire: chunked, no last chunk, no [DONE].
    const QByteArray complete = rawPost(QJsonDocument(request).toJson(QJsonDocument::Compact));
    QVERIFY(complete.startsWith("HTTP/1.1 200"));
    QVERIFY(complete.contains("Transfer-Encoding: chunked"));
    QVERIFY(complete.contains("data: [DONE]"));
    QVERIFY(complete.endsWith("\r\n0\r\n\r\n"));

    request.insert(QStringLiteral("model"), QStringLiteral("fake:cut=3"));
    const QByteArray cut = rawPost(QJsonDocument(request).toJson(QJsonDocument::Compact));
    QVERIFY(cut.startsWith("HTTP/1.1 200"));
    QCOMPARE(cut.count("data: "), 3);
    QVERIFY(!cut.contains("[DONE]"));
    QVERIFY(!cut.endsWith("0\r\n\r\n"));
    QCOMPARE(m_fake.clientAborts(), 0);
}

void TestFakeUpstream::cutJsonSendsHalfTheBody()
{
    const QByteArray wire = rawPost(
        QJsonDocument(chatRequest(QStringLiteral("fake:cut=0"), QStringLiteral("a"))).toJson(QJsonDocument::Compact));
    const qsizetype headEnd = wire.indexOf("\r\n\r\n");
    QVERIFY(headEnd > 0);
    const QByteArray head = wire.left(headEnd);
    const qsizetype lengthAt = head.indexOf("Content-Length: ");
    QVERIFY(lengthAt > 0);
    const qsizetype declared = head.mid(lengthAt + 16, head.indexOf("\r\n", lengthAt) - lengthAt - 16).toLongLong();
    const qsizetype received = wire.size() - headEnd - 4;
    QVERIFY(declared > 20);
    QCOMPARE(received, declared / 2);
}

void TestFakeUpstream::malformedBody()
{
    const Response json = post(QStringLiteral("/v1/chat/completions"),
                               chatRequest(QStringLiteral("fake:malformed"), QStringLiteral("a")));
    QCOMPARE(json.status, 200);
    QJsonParseError parseError;
    QJsonDocument::fromJson(json.body, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);

    QJsonObject request = chatRequest(QStringLiteral("fake:malformed"), QStringLiteral("a b c"));
    request.insert(QStringLiteral("stream"), true);
    const QList<Event> events = stream(request);
    QCOMPARE(events.size(), 3);
    QJsonDocument::fromJson(events.at(1).data, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);
    QCOMPARE(events.last().data, QByteArrayLiteral("[DONE]"));
}

void TestFakeUpstream::delayHoldsTheHeaders()
{
    QElapsedTimer clock;
    clock.start();
    const Response response = post(QStringLiteral("/v1/chat/completions"),
                                   chatRequest(QStringLiteral("fake:delay=200"), QStringLiteral("a")));
    QCOMPARE(response.status, 200);
    QVERIFY(clock.elapsed() >= 190);
}

void TestFakeUpstream::controlApi()
{
    QJsonArray behaviors;
    behaviors.append(QJsonObject{{QStringLiteral("status"), 429}, {QStringLiteral("retry_after"), 2}});
    behaviors.append(QJsonObject{{QStringLiteral("body"), QJsonObject{{QStringLiteral("custom"), true}}},
                                 {QStringLiteral("headers"), QJsonObject{{QStringLiteral("X-Extra"), QStringLiteral("yes")}}}});
    Response enqueued = finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/enqueue"),
                                    QJsonDocument(behaviors).toJson(), QByteArray()));
    QCOMPARE(enqueued.status, 200);
    QCOMPARE(enqueued.json().value(QLatin1String("queued")).toInt(), 2);

    const Response limited = post(QStringLiteral("/v1/chat/completions"),
                                  chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a")));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("retry-after"), QByteArrayLiteral("2"));
    const Response custom = post(QStringLiteral("/v1/chat/completions"),
                                 chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a")));
    QCOMPARE(custom.status, 200);
    QCOMPARE(custom.json().value(QLatin1String("custom")).toBool(), true);
    QCOMPARE(custom.header("x-extra"), QByteArrayLiteral("yes"));

    const Response bad = finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/enqueue"),
                                     QByteArrayLiteral("{\"stauts\": 500}"), QByteArray()));
    QCOMPARE(bad.status, 400);
    QCOMPARE(m_fake.queuedBehaviors(), 0);

    QCOMPARE(finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/default"),
                         QByteArrayLiteral("{\"status\": 503}"), QByteArray())).status, 200);
    QCOMPARE(m_fake.defaultBehavior().status, 503);

    const Response requests = get(QStringLiteral("/_fake/requests"));
    QCOMPARE(requests.status, 200);
    const QJsonArray recorded = QJsonDocument::fromJson(requests.body).array();
    QCOMPARE(recorded.size(), 2);
    QCOMPARE(recorded.first().toObject().value(QLatin1String("path")).toString(), QStringLiteral("/v1/chat/completions"));
    QCOMPARE(recorded.first().toObject().value(QLatin1String("headers")).toObject().value(QLatin1String("authorization"))
                 .toString(), QStringLiteral("Bearer sk-test"));

    const Response stats = get(QStringLiteral("/_fake/stats"));
    QCOMPARE(stats.json().value(QLatin1String("requests")).toInt(), 2);
    QCOMPARE(stats.json().value(QLatin1String("client_aborts")).toInt(), 0);

    QCOMPARE(finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/reset"), QByteArray(), QByteArray())).status, 200);
    QCOMPARE(m_fake.requestCount(), 0);
    QCOMPARE(m_fake.defaultBehavior().status, 200);
}

void TestFakeUpstream::recordsRequests()
{
    QNetworkRequest request(QUrl(m_fake.baseUrl() + QStringLiteral("/v1/models?limit=2")));
    request.setRawHeader("Authorization", "Bearer sk-abc");
    request.setRawHeader("X-Custom-Thing", "Value");
    Response response = finish(m_manager.get(request));
    QCOMPARE(response.status, 200);
    const QList<gw::test::FakeRecordedRequest> recorded = m_fake.requests();
    QCOMPARE(recorded.size(), 1);
    QCOMPARE(recorded.first().method, QByteArrayLiteral("GET"));
    QCOMPARE(recorded.first().path, QStringLiteral("/v1/models"));
    QCOMPARE(recorded.first().query, QStringLiteral("limit=2"));
    QCOMPARE(recorded.first().header("x-custom-thing"), QByteArrayLiteral("Value"));
    QVERIFY(recorded.first().received.isValid());
    m_fake.clearRequests();
    QVERIFY(m_fake.requests().isEmpty());
    QCOMPARE(m_fake.requestCount(), 1);
}

QNetworkReply *TestFakeUpstream::sendWith(const QByteArray &method, const QString &path, const QByteArray &body,
                                          const Headers &headers)
{
    QNetworkRequest request(QUrl(m_fake.baseUrl() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method, body);
    reply->setParent(this);
    return reply;
}

Response TestFakeUpstream::anthropic(const QString &path, const QJsonObject &body, const Headers &extra)
{
    return finish(sendWith(QByteArrayLiteral("POST"), path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                           kAnthropicHeaders + extra));
}

QNetworkReply *TestFakeUpstream::anthropicReply(const QJsonObject &body)
{
    return sendWith(QByteArrayLiteral("POST"), QStringLiteral("/v1/messages"),
                    QJsonDocument(body).toJson(QJsonDocument::Compact), kAnthropicHeaders);
}

Response TestFakeUpstream::gemini(const QString &path, const QJsonObject &body)
{
    return finish(geminiReply(path, body));
}

QNetworkReply *TestFakeUpstream::geminiReply(const QString &path, const QJsonObject &body)
{
    return sendWith(QByteArrayLiteral("POST"), path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                    {{QByteArrayLiteral("x-goog-api-key"), QByteArrayLiteral("g-test")}});
}

Streamed TestFakeUpstream::streamWith(QNetworkReply *reply)
{
    QElapsedTimer clock;
    clock.start();
    Streamed result;
    result.reply = reply;
    QByteArray buffer;
    auto drain = [&] {
        const QByteArray piece = reply->readAll();
        if (piece.isEmpty())
            return;
        result.readsAtMs.append(clock.elapsed());
        result.body += piece;
        buffer += piece;
        // Gemini frames events with CRLF pairs, Anthropic and OpenAI with LF.
        buffer.replace("\r\n", "\n");
        qsizetype end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
            const QByteArray block = buffer.left(end);
            buffer.remove(0, end + 2);
            StreamEvent event{QByteArray(), QByteArray(), clock.elapsed()};
            const QList<QByteArray> lines = block.split('\n');
            for (const QByteArray &line : lines) {
                if (line.startsWith("event: "))
                    event.name = line.mid(7);
                else if (line.startsWith("data: "))
                    event.data += line.mid(6);
            }
            if (!event.name.isEmpty() || !event.data.isEmpty())
                result.events.append(event);
        }
    };
    const QMetaObject::Connection connection = connect(reply, &QNetworkReply::readyRead, this, drain);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(5000);
    drain();
    disconnect(connection);
    return result;
}

void TestFakeUpstream::openAiCacheAndReasoningUsage()
{
    Response plain = post(QStringLiteral("/v1/chat/completions"), chatRequest(QStringLiteral("gpt-4o"), QStringLiteral("a b")));
    QJsonObject usage = plain.json().value(QLatin1String("usage")).toObject();
    QVERIFY(!usage.contains(QLatin1String("prompt_tokens_details")));
    QVERIFY(!usage.contains(QLatin1String("completion_tokens_details")));

    const Response scripted = post(QStringLiteral("/v1/chat/completions"),
                                   chatRequest(QStringLiteral("fake:cache_read=3,thoughts=4"), QStringLiteral("a b")));
    QCOMPARE(scripted.status, 200);
    usage = scripted.json().value(QLatin1String("usage")).toObject();
    // Reasoning is part of completion_tokens, cached tokens part of prompt_tokens.
    QCOMPARE(usage.value(QLatin1String("prompt_tokens")).toInt(), 2 + 3);
    QCOMPARE(usage.value(QLatin1String("completion_tokens")).toInt(), 3 + 4);
    QCOMPARE(usage.value(QLatin1String("total_tokens")).toInt(), 5 + 7);
    QCOMPARE(usage.value(QLatin1String("prompt_tokens_details")).toObject().value(QLatin1String("cached_tokens")).toInt(), 3);
    QCOMPARE(usage.value(QLatin1String("completion_tokens_details")).toObject().value(QLatin1String("reasoning_tokens"))
                 .toInt(), 4);
}

void TestFakeUpstream::newBehaviorFieldsThroughControlApi()
{
    const FakeBehavior spec = FakeBehavior::fromSpec(u"cache_read=2,cache_write=3,thoughts=4,stream_error");
    QCOMPARE(spec.cacheReadTokens, 2);
    QCOMPARE(spec.cacheWriteTokens, 3);
    QCOMPARE(spec.thoughtsTokens, 4);
    QCOMPARE(spec.streamError, QStringLiteral("overloaded_error"));
    QCOMPARE(FakeBehavior::fromSpec(u"stream_error=rate_limit_error").streamError, QStringLiteral("rate_limit_error"));
    QString error;
    QVERIFY(!FakeBehavior::fromModelSpec(u"fake:cache_read=many", &error));
    QVERIFY(error.contains(QLatin1String("cache_read=many")));

    QCOMPARE(spec.streamErrorAfter, 1);
    QCOMPARE(FakeBehavior::fromSpec(u"stream_error_after=0").streamErrorAfter, 0);
    QCOMPARE(finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/default"),
                         QByteArrayLiteral("{\"cache_read\": 5, \"cache_write\": 6, \"thoughts\": 7, \"stream_error\": true, "
                                           "\"stream_error_after\": 2}"),
                         QByteArray())).status, 200);
    const FakeBehavior stored = m_fake.defaultBehavior();
    QCOMPARE(stored.cacheReadTokens, 5);
    QCOMPARE(stored.cacheWriteTokens, 6);
    QCOMPARE(stored.thoughtsTokens, 7);
    QCOMPARE(stored.streamError, QStringLiteral("overloaded_error"));
    QCOMPARE(stored.streamErrorAfter, 2);
    const QJsonObject read = get(QStringLiteral("/_fake/default")).json();
    QCOMPARE(read.value(QLatin1String("cache_read")).toInt(), 5);
    QCOMPARE(read.value(QLatin1String("cache_write")).toInt(), 6);
    QCOMPARE(read.value(QLatin1String("thoughts")).toInt(), 7);
    QCOMPARE(read.value(QLatin1String("stream_error")).toString(), QStringLiteral("overloaded_error"));
    QCOMPARE(read.value(QLatin1String("stream_error_after")).toInt(), 2);
    QCOMPARE(FakeBehavior::fromJson(read, &error)->streamError, QStringLiteral("overloaded_error"));

    QCOMPARE(finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/enqueue"),
                         QByteArrayLiteral("{\"stream_error\": \"api_error\"}"), QByteArray())).status, 200);
    QCOMPARE(finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/enqueue"),
                         QByteArrayLiteral("{\"stream_error\": 3}"), QByteArray())).status, 400);
    QCOMPARE(finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/enqueue"),
                         QByteArrayLiteral("{\"thoughts\": \"3\"}"), QByteArray())).status, 400);
    QCOMPARE(m_fake.queuedBehaviors(), 1);
}

void TestFakeUpstream::anthropicMessageShapeAndUsage()
{
    QJsonObject request;
    request.insert(QStringLiteral("model"), QStringLiteral("claude-sonnet-4-5-20250929"));
    request.insert(QStringLiteral("max_tokens"), 100);
    request.insert(QStringLiteral("system"), QStringLiteral("You are terse"));
    QJsonArray lastContent;
    lastContent.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), QStringLiteral("hello big")}});
    lastContent.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("image")},
                                   {QStringLiteral("source"), QJsonObject{{QStringLiteral("type"), QStringLiteral("base64")},
                                                                          {QStringLiteral("media_type"), QStringLiteral("image/png")},
                                                                          {QStringLiteral("data"), QStringLiteral("AAAA")}}}});
    lastContent.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), QStringLiteral("world")}});
    request.insert(QStringLiteral("messages"),
                   QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                          {QStringLiteral("content"), QStringLiteral("earlier question here")}},
                              QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                          {QStringLiteral("content"),
                                           QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                                  {QStringLiteral("text"), QStringLiteral("an answer")}}}}},
                              QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), lastContent}}});
    const Response response = anthropic(QStringLiteral("/v1/messages"), request,
                                        {{QByteArrayLiteral("anthropic-beta"), QByteArrayLiteral("prompt-caching-2024-07-31")}});
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("request-id"), QByteArrayLiteral("fake-req-1"));
    QCOMPARE(response.header("x-request-id"), QByteArrayLiteral("fake-req-1"));
    QVERIFY(response.header("content-type").startsWith("application/json"));
    const QJsonObject json = response.json();
    QCOMPARE(json.value(QLatin1String("id")).toString(), QStringLiteral("msg_fake_1"));
    QCOMPARE(json.value(QLatin1String("type")).toString(), QStringLiteral("message"));
    QCOMPARE(json.value(QLatin1String("role")).toString(), QStringLiteral("assistant"));
    QCOMPARE(json.value(QLatin1String("model")).toString(), QStringLiteral("claude-sonnet-4-5-20250929"));
    QCOMPARE(json.value(QLatin1String("stop_reason")).toString(), QStringLiteral("end_turn"));
    QVERIFY(json.contains(QLatin1String("stop_sequence")) && json.value(QLatin1String("stop_sequence")).isNull());
    const QJsonArray content = json.value(QLatin1String("content")).toArray();
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.first().toObject().value(QLatin1String("type")).toString(), QStringLiteral("text"));
    QCOMPARE(content.first().toObject().value(QLatin1String("text")).toString(), QStringLiteral("Echo: hello big world"));
    const QJsonObject usage = json.value(QLatin1String("usage")).toObject();
    // system 3 words, then (3 + 3) + (2 + 3) + (3 + 3)
    QCOMPARE(usage.value(QLatin1String("input_tokens")).toInt(), 3 + 6 + 5 + 6);
    QCOMPARE(usage.value(QLatin1String("output_tokens")).toInt(), 4);
    QCOMPARE(usage.value(QLatin1String("cache_creation_input_tokens")).toInt(-1), 0);
    QCOMPARE(usage.value(QLatin1String("cache_read_input_tokens")).toInt(-1), 0);
    QCOMPARE(FakeAnthropicHandler::inputTokens(request), 20);

    const gw::test::FakeRecordedRequest recorded = m_fake.lastRequest();
    QCOMPARE(recorded.path, QStringLiteral("/v1/messages"));
    QCOMPARE(recorded.header("anthropic-version"), QByteArrayLiteral("2023-06-01"));
    QCOMPARE(recorded.header("anthropic-beta"), QByteArrayLiteral("prompt-caching-2024-07-31"));
    QCOMPARE(recorded.header("x-api-key"), QByteArrayLiteral("sk-ant-test"));

    // The answer's model echoes a spec unchanged, and the text option applies.
    const Response fixed = anthropic(QStringLiteral("/v1/messages"),
                                     anthropicRequest(QStringLiteral("fake:text=fixed answer here"), QStringLiteral("x")));
    QCOMPARE(fixed.json().value(QLatin1String("model")).toString(), QStringLiteral("fake:text=fixed answer here"));
    QCOMPARE(fixed.json().value(QLatin1String("content")).toArray().first().toObject().value(QLatin1String("text")).toString(),
             QStringLiteral("fixed answer here"));
    QCOMPARE(fixed.json().value(QLatin1String("usage")).toObject().value(QLatin1String("output_tokens")).toInt(), 3);

    const Response noUsage = anthropic(QStringLiteral("/v1/messages"),
                                       anthropicRequest(QStringLiteral("fake:nousage"), QStringLiteral("x")));
    QCOMPARE(noUsage.status, 200);
    QVERIFY(!noUsage.json().contains(QLatin1String("usage")));
}

void TestFakeUpstream::anthropicAuthAndValidation()
{
    const QByteArray body = QJsonDocument(anthropicRequest(QStringLiteral("claude"), QStringLiteral("hi"))).toJson();
    const Headers versionOnly{{QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01")}};
    auto check = [](const Response &response, int status, const QString &type) {
        const QJsonObject json = response.json();
        return response.status == status && json.value(QLatin1String("type")).toString() == QLatin1String("error")
            && errorOf(response).value(QLatin1String("type")).toString() == type
            && errorOf(response).size() == 2 && !errorOf(response).value(QLatin1String("message")).toString().isEmpty();
    };

    const Response missingKey = finish(sendWith(QByteArrayLiteral("POST"), QStringLiteral("/v1/messages"), body, versionOnly));
    QVERIFY(check(missingKey, 401, QStringLiteral("authentication_error")));
    QCOMPARE(missingKey.header("request-id"), QByteArrayLiteral("fake-req-1"));

    const Response missingVersion = finish(sendWith(QByteArrayLiteral("POST"), QStringLiteral("/v1/messages"), body,
                                                    {{QByteArrayLiteral("x-api-key"), QByteArrayLiteral("k")}}));
    QVERIFY(check(missingVersion, 400, QStringLiteral("invalid_request_error")));
    QVERIFY(errorOf(missingVersion).value(QLatin1String("message")).toString().contains(QLatin1String("anthropic-version")));

    // Bearer (OAuth) is accepted as the key.
    const Response bearer = finish(sendWith(QByteArrayLiteral("POST"), QStringLiteral("/v1/messages"), body,
                                            versionOnly + Headers{{QByteArrayLiteral("authorization"), QByteArrayLiteral("Bearer tok")}}));
    QCOMPARE(bearer.status, 200);

    m_fake.setRequiredApiKey(QStringLiteral("sk-ant-right"));
    const Response wrong = anthropic(QStringLiteral("/v1/messages"), anthropicRequest(QStringLiteral("claude"), QStringLiteral("hi")));
    QVERIFY(check(wrong, 401, QStringLiteral("authentication_error")));
    QCOMPARE(errorOf(wrong).value(QLatin1String("message")).toString(), QStringLiteral("invalid x-api-key"));
    const Response right = finish(sendWith(QByteArrayLiteral("POST"), QStringLiteral("/v1/messages"), body,
                                           versionOnly + Headers{{QByteArrayLiteral("x-api-key"), QByteArrayLiteral("sk-ant-right")}}));
    QCOMPARE(right.status, 200);
    const Response rightBearer = finish(sendWith(QByteArrayLiteral("POST"), QStringLiteral("/v1/messages"), body,
                                                 versionOnly + Headers{{QByteArrayLiteral("authorization"),
                                                                        QByteArrayLiteral("Bearer sk-ant-right")}}));
    QCOMPARE(rightBearer.status, 200);
    m_fake.setRequiredApiKey(QString());

    const QJsonObject valid = anthropicRequest(QStringLiteral("claude"), QStringLiteral("hi"));
    const QList<std::pair<QJsonObject, QString>> invalid{
        {[&] { QJsonObject o = valid; o.remove(QStringLiteral("model")); return o; }(), QStringLiteral("model:")},
        {[&] { QJsonObject o = valid; o.remove(QStringLiteral("max_tokens")); return o; }(), QStringLiteral("max_tokens:")},
        {[&] { QJsonObject o = valid; o.insert(QStringLiteral("max_tokens"), QStringLiteral("10")); return o; }(), QStringLiteral("max_tokens:")},
        {[&] { QJsonObject o = valid; o.insert(QStringLiteral("max_tokens"), 2.5); return o; }(), QStringLiteral("max_tokens:")},
        {[&] { QJsonObject o = valid; o.insert(QStringLiteral("max_tokens"), 0); return o; }(), QStringLiteral("max_tokens:")},
        {[&] { QJsonObject o = valid; o.remove(QStringLiteral("messages")); return o; }(), QStringLiteral("messages:")},
        {[&] { QJsonObject o = valid; o.insert(QStringLiteral("messages"), QJsonArray()); return o; }(), QStringLiteral("messages:")},
    };
    for (const auto &[request, field] : invalid) {
        const Response response = anthropic(QStringLiteral("/v1/messages"), request);
        QVERIFY2(check(response, 400, QStringLiteral("invalid_request_error")), response.body.constData());
        QVERIFY2(errorOf(response).value(QLatin1String("message")).toString().startsWith(field), response.body.constData());
    }

    const Response broken = finish(sendWith(QByteArrayLiteral("POST"), QStringLiteral("/v1/messages"),
                                            QByteArrayLiteral("{\"model\": "), kAnthropicHeaders));
    QVERIFY(check(broken, 400, QStringLiteral("invalid_request_error")));
}

void TestFakeUpstream::anthropicStopReasons()
{
    QJsonObject request = anthropicRequest(QStringLiteral("claude"), QStringLiteral("one two three four"), 2);
    Response response = anthropic(QStringLiteral("/v1/messages"), request);
    QCOMPARE(response.json().value(QLatin1String("content")).toArray().first().toObject().value(QLatin1String("text")).toString(),
             QStringLiteral("Echo: one"));
    QCOMPARE(response.json().value(QLatin1String("stop_reason")).toString(), QStringLiteral("max_tokens"));
    QVERIFY(response.json().value(QLatin1String("stop_sequence")).isNull());
    QCOMPARE(response.json().value(QLatin1String("usage")).toObject().value(QLatin1String("output_tokens")).toInt(), 2);

    request = anthropicRequest(QStringLiteral("claude"), QStringLiteral("one two three four"));
    request.insert(QStringLiteral("stop_sequences"), QJsonArray{QStringLiteral("END"), QStringLiteral("three")});
    response = anthropic(QStringLiteral("/v1/messages"), request);
    QCOMPARE(response.json().value(QLatin1String("content")).toArray().first().toObject().value(QLatin1String("text")).toString(),
             QStringLiteral("Echo: one two"));
    QCOMPARE(response.json().value(QLatin1String("stop_reason")).toString(), QStringLiteral("stop_sequence"));
    QCOMPARE(response.json().value(QLatin1String("stop_sequence")).toString(), QStringLiteral("three"));
    QCOMPARE(response.json().value(QLatin1String("usage")).toObject().value(QLatin1String("output_tokens")).toInt(), 3);

    // Whichever comes first: here max_tokens.
    request.insert(QStringLiteral("max_tokens"), 2);
    response = anthropic(QStringLiteral("/v1/messages"), request);
    QCOMPARE(response.json().value(QLatin1String("stop_reason")).toString(), QStringLiteral("max_tokens"));

    // Streamed, the reason arrives in message_delta.
    request.insert(QStringLiteral("max_tokens"), 100);
    request.insert(QStringLiteral("stream"), true);
    const Streamed streamed = streamWith(anthropicReply(request));
    const QJsonObject delta = streamed.events.at(streamed.events.size() - 2).json().value(QLatin1String("delta")).toObject();
    QCOMPARE(delta.value(QLatin1String("stop_reason")).toString(), QStringLiteral("stop_sequence"));
    QCOMPARE(delta.value(QLatin1String("stop_sequence")).toString(), QStringLiteral("three"));
}

void TestFakeUpstream::anthropicToolUse()
{
    QJsonObject properties;
    properties.insert(QStringLiteral("city"), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}});
    properties.insert(QStringLiteral("days"), QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")}});
    QJsonObject weather;
    weather.insert(QStringLiteral("name"), QStringLiteral("get_weather"));
    weather.insert(QStringLiteral("description"), QStringLiteral("Weather for a city"));
    weather.insert(QStringLiteral("input_schema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                                               {QStringLiteral("properties"), properties}});
    QJsonObject other;
    other.insert(QStringLiteral("name"), QStringLiteral("other"));
    other.insert(QStringLiteral("input_schema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}});
    const QJsonObject expectedInput{{QStringLiteral("city"), QStringLiteral("fake")}, {QStringLiteral("days"), 1}};

    // A forced tool: the call alone, no text before it.
    QJsonObject request = anthropicRequest(QStringLiteral("claude"), QStringLiteral("what is up"));
    request.insert(QStringLiteral("tools"), QJsonArray{weather, other});
    request.insert(QStringLiteral("tool_choice"), QJsonObject{{QStringLiteral("type"), QStringLiteral("tool")},
                                                              {QStringLiteral("name"), QStringLiteral("other")}});
    Response response = anthropic(QStringLiteral("/v1/messages"), request);
    QJsonArray content = response.json().value(QLatin1String("content")).toArray();
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.first().toObject().value(QLatin1String("type")).toString(), QStringLiteral("tool_use"));
    QCOMPARE(content.first().toObject().value(QLatin1String("name")).toString(), QStringLiteral("other"));
    QCOMPARE(content.first().toObject().value(QLatin1String("id")).toString(), QStringLiteral("toolu_fake_1"));
    QCOMPARE(response.json().value(QLatin1String("stop_reason")).toString(), QStringLiteral("tool_use"));

    request.insert(QStringLiteral("tool_choice"), QJsonObject{{QStringLiteral("type"), QStringLiteral("any")}});
    response = anthropic(QStringLiteral("/v1/messages"), request);
    content = response.json().value(QLatin1String("content")).toArray();
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.first().toObject().value(QLatin1String("name")).toString(), QStringLiteral("get_weather"));
    QCOMPARE(content.first().toObject().value(QLatin1String("input")).toObject(), expectedInput);

    // Asked for in auto mode: a short text block, then the call.
    request = anthropicRequest(QStringLiteral("claude"), QStringLiteral("please call tool now"));
    request.insert(QStringLiteral("tools"), QJsonArray{weather, other});
    response = anthropic(QStringLiteral("/v1/messages"), request);
    content = response.json().value(QLatin1String("content")).toArray();
    QCOMPARE(content.size(), 2);
    QCOMPARE(content.at(0).toObject().value(QLatin1String("text")).toString(), QStringLiteral("Calling get_weather."));
    QCOMPARE(content.at(1).toObject().value(QLatin1String("type")).toString(), QStringLiteral("tool_use"));
    QCOMPARE(content.at(1).toObject().value(QLatin1String("input")).toObject(), expectedInput);
    QCOMPARE(response.json().value(QLatin1String("stop_reason")).toString(), QStringLiteral("tool_use"));
    // 2 words of text + 1 word of compact input + 1
    QCOMPARE(response.json().value(QLatin1String("usage")).toObject().value(QLatin1String("output_tokens")).toInt(), 4);

    QJsonObject none = request;
    none.insert(QStringLiteral("tool_choice"), QJsonObject{{QStringLiteral("type"), QStringLiteral("none")}});
    QCOMPARE(anthropic(QStringLiteral("/v1/messages"), none).json().value(QLatin1String("stop_reason")).toString(),
             QStringLiteral("end_turn"));

    request.insert(QStringLiteral("stream"), true);
    const Streamed streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names(),
             (QList<QByteArray>{"message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                                "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
                                "content_block_stop", "message_delta", "message_stop"}));
    const QJsonObject toolStart = streamed.events.at(6).json();
    QCOMPARE(toolStart.value(QLatin1String("index")).toInt(), 1);
    const QJsonObject block = toolStart.value(QLatin1String("content_block")).toObject();
    QCOMPARE(block.value(QLatin1String("type")).toString(), QStringLiteral("tool_use"));
    QCOMPARE(block.value(QLatin1String("name")).toString(), QStringLiteral("get_weather"));
    QVERIFY(block.value(QLatin1String("id")).toString().startsWith(QLatin1String("toolu_fake_")));
    QCOMPARE(block.value(QLatin1String("input")).toObject(), QJsonObject());
    QString partial;
    for (qsizetype i = 7; i <= 8; ++i) {
        const QJsonObject delta = streamed.events.at(i).json().value(QLatin1String("delta")).toObject();
        QCOMPARE(delta.value(QLatin1String("type")).toString(), QStringLiteral("input_json_delta"));
        QVERIFY(!delta.value(QLatin1String("partial_json")).toString().isEmpty());
        partial += delta.value(QLatin1String("partial_json")).toString();
    }
    QCOMPARE(QJsonDocument::fromJson(partial.toUtf8()).object(), expectedInput);
    QCOMPARE(streamed.events.at(10).json().value(QLatin1String("delta")).toObject().value(QLatin1String("stop_reason")).toString(),
             QStringLiteral("tool_use"));
}

void TestFakeUpstream::anthropicStreamEvents()
{
    m_fake.enqueue(FakeBehavior().withStreamInterval(50).withCacheRead(7).withCacheWrite(5));
    QJsonObject request = anthropicRequest(QStringLiteral("claude-sonnet-4-5-20250929"), QStringLiteral("hello big world"));
    request.insert(QStringLiteral("stream"), true);
    QNetworkReply *reply = anthropicReply(request);
    Streamed streamed = streamWith(reply);
    QCOMPARE(streamed.reply->error(), QNetworkReply::NoError);
    QVERIFY(reply->rawHeader("content-type").startsWith("text/event-stream"));
    QCOMPARE(reply->rawHeader("request-id"), QByteArrayLiteral("fake-req-1"));
    QCOMPARE(streamed.names(),
             (QList<QByteArray>{"message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
                                "message_stop"}));
    for (qsizetype i = 0; i < streamed.events.size(); ++i) {
        QCOMPARE(streamed.events.at(i).json().value(QLatin1String("type")).toString().toUtf8(), streamed.events.at(i).name);
        if (i > 0)
            QVERIFY2(streamed.events.at(i).atMs - streamed.events.at(i - 1).atMs >= 30,
                     qPrintable(QStringLiteral("event %1 arrived with the previous one").arg(i)));
    }

    const QJsonObject message = streamed.events.first().json().value(QLatin1String("message")).toObject();
    QCOMPARE(message.value(QLatin1String("id")).toString(), QStringLiteral("msg_fake_1"));
    QCOMPARE(message.value(QLatin1String("content")).toArray(), QJsonArray());
    QVERIFY(message.value(QLatin1String("stop_reason")).isNull());
    const QJsonObject startUsage = message.value(QLatin1String("usage")).toObject();
    QCOMPARE(startUsage.value(QLatin1String("input_tokens")).toInt(), 3 + 3);
    QCOMPARE(startUsage.value(QLatin1String("cache_read_input_tokens")).toInt(), 7);
    QCOMPARE(startUsage.value(QLatin1String("cache_creation_input_tokens")).toInt(), 5);
    QCOMPARE(startUsage.value(QLatin1String("output_tokens")).toInt(), 1);

    QCOMPARE(streamed.events.at(1).json().value(QLatin1String("content_block")).toObject(),
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), QString()}}));
    QStringList pieces;
    for (qsizetype i = 3; i <= 6; ++i) {
        const QJsonObject delta = streamed.events.at(i).json().value(QLatin1String("delta")).toObject();
        QCOMPARE(delta.value(QLatin1String("type")).toString(), QStringLiteral("text_delta"));
        pieces.append(delta.value(QLatin1String("text")).toString());
    }
    QCOMPARE(pieces, (QStringList{QStringLiteral("Echo:"), QStringLiteral(" hello"), QStringLiteral(" big"), QStringLiteral(" world")}));

    const QJsonObject messageDelta = streamed.events.at(8).json();
    QCOMPARE(messageDelta.value(QLatin1String("delta")).toObject().value(QLatin1String("stop_reason")).toString(),
             QStringLiteral("end_turn"));
    QVERIFY(messageDelta.value(QLatin1String("delta")).toObject().value(QLatin1String("stop_sequence")).isNull());
    QCOMPARE(messageDelta.value(QLatin1String("usage")).toObject().value(QLatin1String("output_tokens")).toInt(), 4);

    // nousage drops the usage of message_delta and keeps message_start's.
    request.insert(QStringLiteral("model"), QStringLiteral("fake:nousage,cache_read=2,cache_write=1"));
    streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names().last(), QByteArrayLiteral("message_stop"));
    const QJsonObject keptUsage = streamed.events.first().json().value(QLatin1String("message")).toObject()
                                      .value(QLatin1String("usage")).toObject();
    QCOMPARE(keptUsage.value(QLatin1String("cache_read_input_tokens")).toInt(), 2);
    QCOMPARE(keptUsage.value(QLatin1String("cache_creation_input_tokens")).toInt(), 1);
    QVERIFY(!streamed.events.at(streamed.events.size() - 2).json().contains(QLatin1String("usage")));
}

void TestFakeUpstream::anthropicStreamFaults()
{
    QJsonObject request = anthropicRequest(QStringLiteral("fake:stream_error"), QStringLiteral("one two three"));
    request.insert(QStringLiteral("stream"), true);
    Streamed streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names(),
             (QList<QByteArray>{"message_start", "content_block_start", "ping", "content_block_delta", "error"}));
    const QJsonObject error = streamed.events.last().json();
    QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    QCOMPARE(error.value(QLatin1String("error")).toObject().value(QLatin1String("type")).toString(), QStringLiteral("overloaded_error"));
    QCOMPARE(error.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString(), QStringLiteral("Overloaded"));
    // The response itself ends cleanly, as Anthropic's does.
    QCOMPARE(streamed.reply->error(), QNetworkReply::NoError);
    QCOMPARE(streamed.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

    QCOMPARE(finish(send(QByteArrayLiteral("POST"), QStringLiteral("/_fake/enqueue"),
                         QByteArrayLiteral("{\"stream_error\": \"api_error\", \"error_message\": \"boom\"}"), QByteArray())).status,
             200);
    request.insert(QStringLiteral("model"), QStringLiteral("claude"));
    streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names().last(), QByteArrayLiteral("error"));
    QCOMPARE(streamed.events.last().json().value(QLatin1String("error")).toObject(),
             (QJsonObject{{QStringLiteral("type"), QStringLiteral("api_error")}, {QStringLiteral("message"), QStringLiteral("boom")}}));

    // Where the error comes: before any content, or after a given number of deltas.
    request.insert(QStringLiteral("model"), QStringLiteral("fake:stream_error,stream_error_after=0"));
    streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names(), (QList<QByteArray>{"message_start", "error"}));
    m_fake.enqueue(FakeBehavior().withStreamError(QStringLiteral("rate_limit_error"), 3));
    request.insert(QStringLiteral("model"), QStringLiteral("claude"));
    streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names(), (QList<QByteArray>{"message_start", "content_block_start", "ping", "content_block_delta",
                                                  "content_block_delta", "content_block_delta", "error"}));
    QCOMPARE(streamed.events.last().json().value(QLatin1String("error")).toObject().value(QLatin1String("type")).toString(),
             QStringLiteral("rate_limit_error"));
    // More deltas asked for than the answer has: the error still ends the stream.
    m_fake.enqueue(FakeBehavior().withStreamError(QStringLiteral("api_error"), 50));
    streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names().size(), 3 + 4 + 2);
    QCOMPARE(streamed.names().last(), QByteArrayLiteral("error"));

    m_fake.enqueue(FakeBehavior().withCutAfterEvents(3));
    streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names(), (QList<QByteArray>{"message_start", "content_block_start", "ping"}));

    request.insert(QStringLiteral("model"), QStringLiteral("fake:malformed"));
    streamed = streamWith(anthropicReply(request));
    QCOMPARE(streamed.names(), (QList<QByteArray>{"message_start", "content_block_start", "message_stop"}));
    QJsonParseError parseError;
    QJsonDocument::fromJson(streamed.events.at(0).data, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QJsonDocument::fromJson(streamed.events.at(1).data, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);
}

void TestFakeUpstream::anthropicErrorsByStatus()
{
    const QList<std::pair<int, QString>> expected{
        {400, QStringLiteral("invalid_request_error")}, {401, QStringLiteral("authentication_error")},
        {403, QStringLiteral("permission_error")},      {404, QStringLiteral("not_found_error")},
        {413, QStringLiteral("request_too_large")},     {429, QStringLiteral("rate_limit_error")},
        {500, QStringLiteral("api_error")},             {503, QStringLiteral("api_error")},
        {529, QStringLiteral("overloaded_error")},
    };
    for (const auto &[status, type] : expected) {
        m_fake.enqueue(FakeBehavior().withStatus(status));
        const Response response = anthropic(QStringLiteral("/v1/messages"), anthropicRequest(QStringLiteral("claude"), QStringLiteral("a")));
        QCOMPARE(response.status, status);
        QCOMPARE(response.json().value(QLatin1String("type")).toString(), QStringLiteral("error"));
        QCOMPARE(errorOf(response).value(QLatin1String("type")).toString(), type);
        QVERIFY(!errorOf(response).value(QLatin1String("message")).toString().isEmpty());
        QVERIFY(!response.header("request-id").isEmpty());
    }
    m_fake.enqueue(FakeBehavior().withStatus(529));
    QCOMPARE(errorOf(anthropic(QStringLiteral("/v1/messages"), anthropicRequest(QStringLiteral("claude"), QStringLiteral("a"))))
                 .value(QLatin1String("message")).toString(),
             QStringLiteral("Overloaded"));

    const Response scripted = anthropic(QStringLiteral("/v1/messages"),
                                        anthropicRequest(QStringLiteral("fake:status=429,retry_after=5,type=custom_error,message=slow"),
                                                         QStringLiteral("a")));
    QCOMPARE(scripted.status, 429);
    QCOMPARE(scripted.header("retry-after"), QByteArrayLiteral("5"));
    QCOMPARE(errorOf(scripted), (QJsonObject{{QStringLiteral("type"), QStringLiteral("custom_error")},
                                             {QStringLiteral("message"), QStringLiteral("slow")}}));

    // A bad spec and an unknown route under /v1/messages answer in Anthropic's shape too.
    const Response badSpec = anthropic(QStringLiteral("/v1/messages"), anthropicRequest(QStringLiteral("fake:stauts=1"), QStringLiteral("a")));
    QCOMPARE(badSpec.status, 400);
    QCOMPARE(errorOf(badSpec).value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
    QVERIFY(errorOf(badSpec).value(QLatin1String("message")).toString().contains(QLatin1String("stauts")));
    const Response unknown = anthropic(QStringLiteral("/v1/messages/batches"), QJsonObject());
    QCOMPARE(unknown.status, 404);
    QCOMPARE(errorOf(unknown).value(QLatin1String("type")).toString(), QStringLiteral("not_found_error"));
    QVERIFY(!unknown.header("request-id").isEmpty());
}

void TestFakeUpstream::anthropicCountTokensAndModels()
{
    QJsonObject request = anthropicRequest(QStringLiteral("claude-counted"), QStringLiteral("count these four words"));
    request.remove(QStringLiteral("max_tokens"));
    request.insert(QStringLiteral("system"), QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                                    {QStringLiteral("text"), QStringLiteral("two words")}}});
    const Response counted = anthropic(QStringLiteral("/v1/messages/count_tokens"), request);
    QCOMPARE(counted.status, 200);
    QCOMPARE(counted.json(), (QJsonObject{{QStringLiteral("input_tokens"), 2 + 4 + 3}}));
    request.remove(QStringLiteral("messages"));
    QCOMPARE(anthropic(QStringLiteral("/v1/messages/count_tokens"), request).status, 400);

    const Response list = finish(sendWith(QByteArrayLiteral("GET"), QStringLiteral("/v1/models"), QByteArray(), kAnthropicHeaders));
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json().value(QLatin1String("has_more")).toBool(true), false);
    const QJsonArray data = list.json().value(QLatin1String("data")).toArray();
    QStringList ids;
    for (const QJsonValue &model : data) {
        QCOMPARE(model.toObject().value(QLatin1String("type")).toString(), QStringLiteral("model"));
        QVERIFY(!model.toObject().value(QLatin1String("display_name")).toString().isEmpty());
        QVERIFY(model.toObject().value(QLatin1String("created_at")).toString().endsWith(QLatin1Char('Z')));
        ids.append(model.toObject().value(QLatin1String("id")).toString());
    }
    QVERIFY(ids.contains(QStringLiteral("claude-sonnet-4-5-20250929")));
    QVERIFY(ids.contains(QStringLiteral("claude-counted")));
    QCOMPARE(list.json().value(QLatin1String("first_id")).toString(), ids.first());
    QCOMPARE(list.json().value(QLatin1String("last_id")).toString(), ids.last());

    const Response page = finish(sendWith(QByteArrayLiteral("GET"), QStringLiteral("/v1/models?limit=1&after_id=") + ids.first(),
                                          QByteArray(), kAnthropicHeaders));
    QCOMPARE(page.json().value(QLatin1String("data")).toArray().size(), 1);
    QCOMPARE(page.json().value(QLatin1String("first_id")).toString(), ids.at(1));
    QCOMPARE(page.json().value(QLatin1String("has_more")).toBool(), true);

    const Response one = finish(sendWith(QByteArrayLiteral("GET"), QStringLiteral("/v1/models/claude-sonnet-4-5-20250929"),
                                         QByteArray(), kAnthropicHeaders));
    QCOMPARE(one.json().value(QLatin1String("display_name")).toString(), QStringLiteral("Claude Sonnet 4.5"));
    QCOMPARE(one.json().value(QLatin1String("type")).toString(), QStringLiteral("model"));

    // Without Anthropic's headers /v1/models stays OpenAI's, with OpenAI's models.
    const Response openAi = get(QStringLiteral("/v1/models"));
    QCOMPARE(openAi.json().value(QLatin1String("object")).toString(), QStringLiteral("list"));
    QVERIFY(!openAi.body.contains("claude-counted"));
}

void TestFakeUpstream::geminiGenerateContentShape()
{
    QJsonObject request;
    request.insert(QStringLiteral("systemInstruction"), geminiContent(QString(), {textPart(QStringLiteral("be brief"))}));
    QJsonArray lastParts{textPart(QStringLiteral("hello big")),
                         QJsonObject{{QStringLiteral("inlineData"), QJsonObject{{QStringLiteral("mimeType"), QStringLiteral("image/png")},
                                                                                {QStringLiteral("data"), QStringLiteral("AAAA")}}}},
                         textPart(QStringLiteral("world"))};
    request.insert(QStringLiteral("contents"),
                   QJsonArray{geminiContent(QStringLiteral("user"), {textPart(QStringLiteral("earlier question"))}),
                              geminiContent(QStringLiteral("model"), {textPart(QStringLiteral("an answer"))}),
                              geminiContent(QStringLiteral("user"), lastParts)});
    request.insert(QStringLiteral("generationConfig"), QJsonObject{{QStringLiteral("temperature"), 0.2},
                                                                   {QStringLiteral("topK"), 3}});
    const Response response = gemini(QStringLiteral("/v1beta/models/gemini-2.0-flash:generateContent"), request);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("x-request-id"), QByteArrayLiteral("fake-req-1"));
    QVERIFY(response.header("content-type").startsWith("application/json"));
    const QJsonObject json = response.json();
    QCOMPARE(json.value(QLatin1String("modelVersion")).toString(), QStringLiteral("gemini-2.0-flash"));
    QCOMPARE(json.value(QLatin1String("responseId")).toString(), QStringLiteral("fake-resp-1"));
    const QJsonArray candidates = json.value(QLatin1String("candidates")).toArray();
    QCOMPARE(candidates.size(), 1);
    const QJsonObject candidate = candidates.first().toObject();
    QCOMPARE(candidate.value(QLatin1String("finishReason")).toString(), QStringLiteral("STOP"));
    QCOMPARE(candidate.value(QLatin1String("index")).toInt(-1), 0);
    const QJsonObject content = candidate.value(QLatin1String("content")).toObject();
    QCOMPARE(content.value(QLatin1String("role")).toString(), QStringLiteral("model"));
    QCOMPARE(content.value(QLatin1String("parts")).toArray(), (QJsonArray{textPart(QStringLiteral("Echo: hello big world"))}));
    const QJsonObject usage = json.value(QLatin1String("usageMetadata")).toObject();
    // systemInstruction (2 + 3), then (2 + 3) + (2 + 3) + (3 + 3)
    QCOMPARE(usage.value(QLatin1String("promptTokenCount")).toInt(), 21);
    QCOMPARE(usage.value(QLatin1String("candidatesTokenCount")).toInt(), 4);
    QCOMPARE(usage.value(QLatin1String("totalTokenCount")).toInt(), 25);
    QVERIFY(!usage.contains(QLatin1String("thoughtsTokenCount")));
    QVERIFY(!usage.contains(QLatin1String("cachedContentTokenCount")));
    QCOMPARE(FakeGeminiHandler::promptTokens(request), 21);

    const gw::test::FakeRecordedRequest recorded = m_fake.lastRequest();
    QCOMPARE(recorded.path, QStringLiteral("/v1beta/models/gemini-2.0-flash:generateContent"));
    QCOMPARE(recorded.header("x-goog-api-key"), QByteArrayLiteral("g-test"));

    // The key may come in the query instead; a content without a role is the user's.
    QJsonObject bare{{QStringLiteral("contents"), QJsonArray{geminiContent(QString(), {textPart(QStringLiteral("hi"))})}}};
    const Response viaQuery = finish(sendWith(QByteArrayLiteral("POST"),
                                              QStringLiteral("/v1beta/models/gemini-2.5-flash:generateContent?key=g-query"),
                                              QJsonDocument(bare).toJson(), {}));
    QCOMPARE(viaQuery.status, 200);
    QCOMPARE(geminiText({viaQuery.json()}), QStringLiteral("Echo: hi"));
    QCOMPARE(m_fake.lastRequest().query, QStringLiteral("key=g-query"));

    const Response noUsage = gemini(QStringLiteral("/v1beta/models/fake:nousage:generateContent"), bare);
    QCOMPARE(noUsage.status, 200);
    QVERIFY(!noUsage.json().contains(QLatin1String("usageMetadata")));
}

void TestFakeUpstream::geminiAuthAndErrors()
{
    const QByteArray body = QJsonDocument(geminiRequest(QStringLiteral("hi"))).toJson();
    const QString path = QStringLiteral("/v1beta/models/gemini-2.0-flash:generateContent");
    auto check = [](const Response &response, int status, const QString &name) {
        const QJsonObject error = errorOf(response);
        return response.status == status && error.value(QLatin1String("code")).toInt() == status
            && error.value(QLatin1String("status")).toString() == name
            && !error.value(QLatin1String("message")).toString().isEmpty();
    };

    const Response missing = finish(sendWith(QByteArrayLiteral("POST"), path, body, {}));
    QVERIFY2(check(missing, 403, QStringLiteral("PERMISSION_DENIED")), missing.body.constData());
    QCOMPARE(missing.header("x-request-id"), QByteArrayLiteral("fake-req-1"));

    m_fake.setRequiredApiKey(QStringLiteral("g-right"));
    const Response wrong = gemini(path, geminiRequest(QStringLiteral("hi")));
    QVERIFY2(check(wrong, 400, QStringLiteral("INVALID_ARGUMENT")), wrong.body.constData());
    QCOMPARE(errorOf(wrong).value(QLatin1String("details")).toArray().first().toObject().value(QLatin1String("reason")).toString(),
             QStringLiteral("API_KEY_INVALID"));
    QCOMPARE(finish(sendWith(QByteArrayLiteral("POST"), path + QStringLiteral("?key=g-right"), body, {})).status, 200);
    m_fake.setRequiredApiKey(QString());

    QVERIFY(check(gemini(path, QJsonObject()), 400, QStringLiteral("INVALID_ARGUMENT")));
    QVERIFY(check(finish(sendWith(QByteArrayLiteral("POST"), path, QByteArrayLiteral("{\"contents\": "),
                                  {{QByteArrayLiteral("x-goog-api-key"), QByteArrayLiteral("k")}})),
                  400, QStringLiteral("INVALID_ARGUMENT")));

    const QList<std::pair<int, QString>> expected{
        {400, QStringLiteral("INVALID_ARGUMENT")},   {401, QStringLiteral("UNAUTHENTICATED")},
        {403, QStringLiteral("PERMISSION_DENIED")},  {404, QStringLiteral("NOT_FOUND")},
        {429, QStringLiteral("RESOURCE_EXHAUSTED")}, {500, QStringLiteral("INTERNAL")},
        {503, QStringLiteral("UNAVAILABLE")},        {504, QStringLiteral("DEADLINE_EXCEEDED")},
    };
    for (const auto &[status, name] : expected) {
        m_fake.enqueue(FakeBehavior().withStatus(status));
        const Response response = gemini(path, geminiRequest(QStringLiteral("hi")));
        QVERIFY2(check(response, status, name), response.body.constData());
        QVERIFY(!errorOf(response).contains(QLatin1String("details")));
    }

    // Gemini says when to retry in the body.
    m_fake.enqueue(FakeBehavior().withStatus(429).withRetryAfter(QStringLiteral("2")));
    const Response limited = gemini(path, geminiRequest(QStringLiteral("hi")));
    QVERIFY(check(limited, 429, QStringLiteral("RESOURCE_EXHAUSTED")));
    QCOMPARE(limited.header("retry-after"), QByteArrayLiteral("2"));
    const QJsonObject retryInfo = errorOf(limited).value(QLatin1String("details")).toArray().first().toObject();
    QCOMPARE(retryInfo.value(QLatin1String("@type")).toString(), QStringLiteral("type.googleapis.com/google.rpc.RetryInfo"));
    QCOMPARE(retryInfo.value(QLatin1String("retryDelay")).toString(), QStringLiteral("2s"));

    m_fake.enqueue(FakeBehavior().withStatus(400).withErrorType(QStringLiteral("FAILED_PRECONDITION"))
                       .withErrorCode(QStringLiteral("USER_LOCATION_INVALID")).withErrorMessage(QStringLiteral("not here")));
    const Response located = gemini(path, geminiRequest(QStringLiteral("hi")));
    QVERIFY(check(located, 400, QStringLiteral("FAILED_PRECONDITION")));
    QCOMPARE(errorOf(located).value(QLatin1String("message")).toString(), QStringLiteral("not here"));
    const QJsonObject info = errorOf(located).value(QLatin1String("details")).toArray().first().toObject();
    QCOMPARE(info.value(QLatin1String("@type")).toString(), QStringLiteral("type.googleapis.com/google.rpc.ErrorInfo"));
    QCOMPARE(info.value(QLatin1String("reason")).toString(), QStringLiteral("USER_LOCATION_INVALID"));

    // Unknown routes under /v1beta answer in Gemini's shape.
    QVERIFY(check(gemini(QStringLiteral("/v1beta/models/gemini-2.0-flash:predict"), geminiRequest(QStringLiteral("hi"))),
                  404, QStringLiteral("NOT_FOUND")));
    QVERIFY(check(finish(sendWith(QByteArrayLiteral("GET"), QStringLiteral("/v1beta/files"), QByteArray(), {})),
                  404, QStringLiteral("NOT_FOUND")));
}

void TestFakeUpstream::geminiModelSpecInPath()
{
    const Response limited = gemini(QStringLiteral("/v1beta/models/fake:status=429,retry_after=2:generateContent"),
                                    geminiRequest(QStringLiteral("hi")));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("retry-after"), QByteArrayLiteral("2"));
    QCOMPARE(errorOf(limited).value(QLatin1String("status")).toString(), QStringLiteral("RESOURCE_EXHAUSTED"));

    const Response text = gemini(QStringLiteral("/v1beta/models/fake:text=fixed%20answer:generateContent"),
                                 geminiRequest(QStringLiteral("hi")));
    QCOMPARE(text.status, 200);
    QCOMPARE(geminiText({text.json()}), QStringLiteral("fixed answer"));
    QCOMPARE(text.json().value(QLatin1String("modelVersion")).toString(), QStringLiteral("fake:text=fixed answer"));

    // Percent-encoded colon and commas work as well.
    const Response usage = gemini(QStringLiteral("/v1beta/models/fake%3Athoughts=3%2Ccache_read=2:generateContent"),
                                  geminiRequest(QStringLiteral("a b")));
    QCOMPARE(usage.status, 200);
    QCOMPARE(m_fake.lastRequest().path, QStringLiteral("/v1beta/models/fake:thoughts=3,cache_read=2:generateContent"));
    const QJsonObject metadata = usage.json().value(QLatin1String("usageMetadata")).toObject();
    QCOMPARE(metadata.value(QLatin1String("promptTokenCount")).toInt(), 5);
    QCOMPARE(metadata.value(QLatin1String("candidatesTokenCount")).toInt(), 3);
    QCOMPARE(metadata.value(QLatin1String("thoughtsTokenCount")).toInt(), 3);
    QCOMPARE(metadata.value(QLatin1String("cachedContentTokenCount")).toInt(), 2);
    QCOMPARE(metadata.value(QLatin1String("totalTokenCount")).toInt(), 5 + 3 + 3);

    const Response bad = gemini(QStringLiteral("/v1beta/models/fake:stauts=1:generateContent"), geminiRequest(QStringLiteral("hi")));
    QCOMPARE(bad.status, 400);
    QCOMPARE(errorOf(bad).value(QLatin1String("status")).toString(), QStringLiteral("INVALID_ARGUMENT"));
    QVERIFY(errorOf(bad).value(QLatin1String("message")).toString().contains(QLatin1String("stauts")));
}

void TestFakeUpstream::geminiLimitsCandidatesAndFunctionCalls()
{
    const QString path = QStringLiteral("/v1beta/models/gemini-2.0-flash:generateContent");
    QJsonObject request = geminiRequest(QStringLiteral("one two three four"));
    request.insert(QStringLiteral("generationConfig"), QJsonObject{{QStringLiteral("maxOutputTokens"), 2}});
    Response response = gemini(path, request);
    QCOMPARE(geminiText({response.json()}), QStringLiteral("Echo: one"));
    QCOMPARE(firstCandidate(response.json()).value(QLatin1String("finishReason")).toString(), QStringLiteral("MAX_TOKENS"));
    QCOMPARE(response.json().value(QLatin1String("usageMetadata")).toObject().value(QLatin1String("candidatesTokenCount")).toInt(), 2);

    request.insert(QStringLiteral("generationConfig"),
                   QJsonObject{{QStringLiteral("stopSequences"), QJsonArray{QStringLiteral("three")}},
                               {QStringLiteral("candidateCount"), 2}});
    response = gemini(path, request);
    const QJsonArray candidates = response.json().value(QLatin1String("candidates")).toArray();
    QCOMPARE(candidates.size(), 2);
    for (qsizetype i = 0; i < 2; ++i) {
        QCOMPARE(candidates.at(i).toObject().value(QLatin1String("index")).toInt(), int(i));
        QCOMPARE(candidates.at(i).toObject().value(QLatin1String("finishReason")).toString(), QStringLiteral("STOP"));
        QCOMPARE(candidates.at(i).toObject().value(QLatin1String("content")).toObject().value(QLatin1String("parts")).toArray(),
                 (QJsonArray{textPart(QStringLiteral("Echo: one two"))}));
    }
    QCOMPARE(response.json().value(QLatin1String("usageMetadata")).toObject().value(QLatin1String("candidatesTokenCount")).toInt(),
             2 * 3);

    QJsonObject properties;
    properties.insert(QStringLiteral("query"), QJsonObject{{QStringLiteral("type"), QStringLiteral("STRING")}});
    properties.insert(QStringLiteral("limit"), QJsonObject{{QStringLiteral("type"), QStringLiteral("INTEGER")}});
    properties.insert(QStringLiteral("exact"), QJsonObject{{QStringLiteral("type"), QStringLiteral("BOOLEAN")}});
    const QJsonObject first{{QStringLiteral("name"), QStringLiteral("get_weather")},
                            {QStringLiteral("description"), QStringLiteral("weather")},
                            {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("type"), QStringLiteral("OBJECT")}}}};
    const QJsonObject lookup{{QStringLiteral("name"), QStringLiteral("lookup")},
                             {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("type"), QStringLiteral("OBJECT")},
                                                                        {QStringLiteral("properties"), properties}}}};
    const QJsonArray tools{QJsonObject{{QStringLiteral("functionDeclarations"), QJsonArray{first, lookup}}}};
    auto withMode = [&](const QString &text, const QString &mode) {
        QJsonObject object = geminiRequest(text);
        object.insert(QStringLiteral("tools"), tools);
        if (!mode.isEmpty()) {
            QJsonObject config{{QStringLiteral("mode"), mode}};
            if (mode == QLatin1String("ANY"))
                config.insert(QStringLiteral("allowedFunctionNames"), QJsonArray{QStringLiteral("lookup")});
            object.insert(QStringLiteral("toolConfig"), QJsonObject{{QStringLiteral("functionCallingConfig"), config}});
        }
        return object;
    };

    response = gemini(path, withMode(QStringLiteral("what now"), QStringLiteral("ANY")));
    QJsonObject candidate = firstCandidate(response.json());
    QCOMPARE(candidate.value(QLatin1String("finishReason")).toString(), QStringLiteral("STOP"));
    QJsonObject call = candidate.value(QLatin1String("content")).toObject().value(QLatin1String("parts")).toArray().first()
                           .toObject().value(QLatin1String("functionCall")).toObject();
    QCOMPARE(call.value(QLatin1String("name")).toString(), QStringLiteral("lookup"));
    QCOMPARE(call.value(QLatin1String("args")).toObject(),
             (QJsonObject{{QStringLiteral("query"), QStringLiteral("fake")}, {QStringLiteral("limit"), 1},
                          {QStringLiteral("exact"), true}}));

    response = gemini(path, withMode(QStringLiteral("please call tool"), QString()));
    call = firstCandidate(response.json()).value(QLatin1String("content")).toObject().value(QLatin1String("parts")).toArray()
               .first().toObject().value(QLatin1String("functionCall")).toObject();
    QCOMPARE(call.value(QLatin1String("name")).toString(), QStringLiteral("get_weather"));
    QCOMPARE(call.value(QLatin1String("args")).toObject(), QJsonObject());

    response = gemini(path, withMode(QStringLiteral("please call tool"), QStringLiteral("NONE")));
    QCOMPARE(geminiText({response.json()}), QStringLiteral("Echo: please call tool"));

    // Streamed, a call arrives whole in one chunk.
    const Streamed streamed = streamWith(
        geminiReply(QStringLiteral("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"),
                    withMode(QStringLiteral("x"), QStringLiteral("ANY"))));
    QCOMPARE(streamed.events.size(), 1);
    candidate = firstCandidate(streamed.events.first().json());
    QCOMPARE(candidate.value(QLatin1String("finishReason")).toString(), QStringLiteral("STOP"));
    QCOMPARE(candidate.value(QLatin1String("content")).toObject().value(QLatin1String("parts")).toArray().first().toObject()
                 .value(QLatin1String("functionCall")).toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("lookup"));
}

void TestFakeUpstream::geminiSseStream()
{
    m_fake.enqueue(FakeBehavior().withStreamInterval(50));
    const QString path = QStringLiteral("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    QNetworkReply *reply = geminiReply(path, geminiRequest(QStringLiteral("hello big world")));
    Streamed streamed = streamWith(reply);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QVERIFY(reply->rawHeader("content-type").startsWith("text/event-stream"));
    QCOMPARE(streamed.events.size(), 4);
    QVERIFY(streamed.body.startsWith("data: {"));
    QCOMPARE(streamed.body.count("\r\n\r\n"), 4);
    QJsonArray chunks;
    for (qsizetype i = 0; i < streamed.events.size(); ++i) {
        const StreamEvent &event = streamed.events.at(i);
        QVERIFY(event.name.isEmpty());
        if (i > 0)
            QVERIFY2(event.atMs - streamed.events.at(i - 1).atMs >= 30,
                     qPrintable(QStringLiteral("chunk %1 arrived with the previous one").arg(i)));
        const QJsonObject chunk = event.json();
        chunks.append(chunk);
        const QJsonObject candidate = firstCandidate(chunk);
        QCOMPARE(candidate.value(QLatin1String("content")).toObject().value(QLatin1String("parts")).toArray().size(), 1);
        QCOMPARE(candidate.contains(QLatin1String("finishReason")), i == 3);
        const QJsonObject usage = chunk.value(QLatin1String("usageMetadata")).toObject();
        QCOMPARE(usage.value(QLatin1String("promptTokenCount")).toInt(), 6);
        QCOMPARE(usage.value(QLatin1String("candidatesTokenCount")).toInt(), int(i + 1));
        QCOMPARE(usage.value(QLatin1String("totalTokenCount")).toInt(), 6 + int(i + 1));
        QCOMPARE(chunk.value(QLatin1String("responseId")).toString(), QStringLiteral("fake-resp-1"));
        QCOMPARE(chunk.value(QLatin1String("modelVersion")).toString(), QStringLiteral("gemini-2.0-flash"));
    }
    QCOMPARE(geminiText(chunks), QStringLiteral("Echo: hello big world"));
    QCOMPARE(firstCandidate(chunks.last().toObject()).value(QLatin1String("finishReason")).toString(), QStringLiteral("STOP"));

    const QString faulty = QStringLiteral("/v1beta/models/fake:nousage:streamGenerateContent?alt=sse");
    streamed = streamWith(geminiReply(faulty, geminiRequest(QStringLiteral("a b"))));
    QCOMPARE(streamed.events.size(), 3);
    for (const StreamEvent &event : std::as_const(streamed.events))
        QVERIFY(!event.json().contains(QLatin1String("usageMetadata")));

    m_fake.enqueue(FakeBehavior().withCutAfterEvents(2));
    streamed = streamWith(geminiReply(path, geminiRequest(QStringLiteral("one two three"))));
    QCOMPARE(streamed.events.size(), 2);
    QVERIFY(!firstCandidate(streamed.events.last().json()).contains(QLatin1String("finishReason")));

    streamed = streamWith(geminiReply(QStringLiteral("/v1beta/models/fake:malformed:streamGenerateContent?alt=sse"),
                                      geminiRequest(QStringLiteral("one two three"))));
    QCOMPARE(streamed.events.size(), 3);
    QJsonParseError parseError;
    QJsonDocument::fromJson(streamed.events.at(1).data, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);
    QCOMPARE(firstCandidate(streamed.events.last().json()).value(QLatin1String("finishReason")).toString(), QStringLiteral("STOP"));
}

void TestFakeUpstream::geminiJsonArrayStream()
{
    m_fake.enqueue(FakeBehavior().withStreamInterval(80));
    const QString path = QStringLiteral("/v1beta/models/gemini-2.0-flash:streamGenerateContent");
    QNetworkReply *reply = geminiReply(path, geminiRequest(QStringLiteral("hello big world")));
    Streamed streamed = streamWith(reply);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QVERIFY(reply->rawHeader("content-type").startsWith("application/json"));
    QJsonParseError parseError;
    const QJsonArray chunks = QJsonDocument::fromJson(streamed.body, &parseError).array();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(chunks.size(), 4);
    QVERIFY(streamed.body.startsWith("[{"));
    QVERIFY(streamed.body.endsWith("}\n]"));
    QCOMPARE(geminiText(chunks), QStringLiteral("Echo: hello big world"));
    QCOMPARE(firstCandidate(chunks.last().toObject()).value(QLatin1String("finishReason")).toString(), QStringLiteral("STOP"));
    QVERIFY(!firstCandidate(chunks.first().toObject()).contains(QLatin1String("finishReason")));
    // Written element by element: the pieces arrive apart (4 elements + "]").
    QVERIFY2(streamed.readsAtMs.size() >= 4, qPrintable(QString::number(streamed.readsAtMs.size())));
    QVERIFY(streamed.readsAtMs.last() - streamed.readsAtMs.first() >= 4 * 60);

    m_fake.enqueue(FakeBehavior().withCutAfterEvents(2));
    streamed = streamWith(geminiReply(path, geminiRequest(QStringLiteral("one two three"))));
    QVERIFY(streamed.body.startsWith("[{"));
    QCOMPARE(streamed.body.count("\n,{"), 1);
    QVERIFY(!streamed.body.endsWith("]"));

    streamed = streamWith(geminiReply(QStringLiteral("/v1beta/models/fake:nousage:streamGenerateContent"),
                                      geminiRequest(QStringLiteral("one two"))));
    QCOMPARE(QJsonDocument::fromJson(streamed.body).array().size(), 3);
    QVERIFY(!streamed.body.contains("usageMetadata"));

    streamed = streamWith(geminiReply(QStringLiteral("/v1beta/models/fake:malformed:streamGenerateContent"),
                                      geminiRequest(QStringLiteral("one two three"))));
    QJsonDocument::fromJson(streamed.body, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);
    QVERIFY(streamed.body.startsWith("[{"));
}

void TestFakeUpstream::geminiCountTokensEmbeddingsAndModels()
{
    Response counted = gemini(QStringLiteral("/v1beta/models/gemini-2.0-flash:countTokens"), geminiRequest(QStringLiteral("three words here")));
    QCOMPARE(counted.status, 200);
    QCOMPARE(counted.json().value(QLatin1String("totalTokens")).toInt(), 6);
    QJsonObject wrapped = geminiRequest(QStringLiteral("three words here"));
    wrapped.insert(QStringLiteral("model"), QStringLiteral("models/gemini-2.0-flash"));
    wrapped.insert(QStringLiteral("systemInstruction"), geminiContent(QString(), {textPart(QStringLiteral("be brief"))}));
    counted = gemini(QStringLiteral("/v1beta/models/gemini-2.0-flash:countTokens"),
                     QJsonObject{{QStringLiteral("generateContentRequest"), wrapped}});
    QCOMPARE(counted.json().value(QLatin1String("totalTokens")).toInt(), 6 + 5);
    QCOMPARE(gemini(QStringLiteral("/v1beta/models/gemini-2.0-flash:countTokens"), QJsonObject()).status, 400);

    const QString embedPath = QStringLiteral("/v1beta/models/text-embedding-004:embedContent");
    QJsonObject embed{{QStringLiteral("model"), QStringLiteral("models/text-embedding-004")},
                      {QStringLiteral("content"), geminiContent(QString(), {textPart(QStringLiteral("first text"))})}};
    Response embedded = gemini(embedPath, embed);
    QCOMPARE(embedded.status, 200);
    QJsonArray values = embedded.json().value(QLatin1String("embedding")).toObject().value(QLatin1String("values")).toArray();
    QCOMPARE(values.size(), FakeOpenAiHandler::kDefaultEmbeddingDimensions);
    const QList<float> expected = FakeOpenAiHandler::embeddingFor(QStringLiteral("first text"), 8);
    for (qsizetype i = 0; i < values.size(); ++i)
        QCOMPARE(float(values.at(i).toDouble()), expected.at(i));
    embed.insert(QStringLiteral("outputDimensionality"), 16);
    values = gemini(embedPath, embed).json().value(QLatin1String("embedding")).toObject().value(QLatin1String("values")).toArray();
    QCOMPARE(values.size(), 16);
    embed.insert(QStringLiteral("outputDimensionality"), 0);
    QCOMPARE(gemini(embedPath, embed).status, 400);

    embed.remove(QStringLiteral("outputDimensionality"));
    QJsonObject second = embed;
    second.insert(QStringLiteral("content"), geminiContent(QString(), {textPart(QStringLiteral("second"))}));
    const Response batch = gemini(QStringLiteral("/v1beta/models/text-embedding-004:batchEmbedContents"),
                                  QJsonObject{{QStringLiteral("requests"), QJsonArray{embed, second}}});
    QCOMPARE(batch.status, 200);
    const QJsonArray embeddings = batch.json().value(QLatin1String("embeddings")).toArray();
    QCOMPARE(embeddings.size(), 2);
    QCOMPARE(float(embeddings.at(1).toObject().value(QLatin1String("values")).toArray().first().toDouble()),
             FakeOpenAiHandler::embeddingFor(QStringLiteral("second"), 8).first());
    QCOMPARE(gemini(QStringLiteral("/v1beta/models/text-embedding-004:batchEmbedContents"), QJsonObject()).status, 400);

    // Models: the known ones and those named in Gemini requests, not other providers'.
    post(QStringLiteral("/v1/chat/completions"), chatRequest(QStringLiteral("gpt-only-model"), QStringLiteral("x")));
    gemini(QStringLiteral("/v1beta/models/my-gemini:generateContent"), geminiRequest(QStringLiteral("x")));
    const Headers key{{QByteArrayLiteral("x-goog-api-key"), QByteArrayLiteral("k")}};
    const Response list = finish(sendWith(QByteArrayLiteral("GET"), QStringLiteral("/v1beta/models"), QByteArray(), key));
    QCOMPARE(list.status, 200);
    QStringList names;
    const QJsonArray models = list.json().value(QLatin1String("models")).toArray();
    for (const QJsonValue &model : models) {
        const QJsonObject object = model.toObject();
        names.append(object.value(QLatin1String("name")).toString());
        QVERIFY(!object.value(QLatin1String("displayName")).toString().isEmpty());
        QVERIFY(object.value(QLatin1String("inputTokenLimit")).toInt() > 0);
        QVERIFY(object.value(QLatin1String("outputTokenLimit")).toInt() > 0);
        QVERIFY(!object.value(QLatin1String("supportedGenerationMethods")).toArray().isEmpty());
    }
    QVERIFY(names.contains(QStringLiteral("models/gemini-2.0-flash")));
    QVERIFY(names.contains(QStringLiteral("models/text-embedding-004")));
    QVERIFY(names.contains(QStringLiteral("models/my-gemini")));
    QVERIFY(!names.contains(QStringLiteral("models/gpt-only-model")));

    const Response one = finish(sendWith(QByteArrayLiteral("GET"), QStringLiteral("/v1beta/models/gemini-2.5-pro"), QByteArray(), key));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json().value(QLatin1String("name")).toString(), QStringLiteral("models/gemini-2.5-pro"));
    QCOMPARE(one.json().value(QLatin1String("displayName")).toString(), QStringLiteral("Gemini 2.5 Pro"));
    QVERIFY(one.json().value(QLatin1String("supportedGenerationMethods")).toArray().contains(QStringLiteral("generateContent")));
    QCOMPARE(finish(sendWith(QByteArrayLiteral("GET"), QStringLiteral("/v1beta/models"), QByteArray(), {})).status, 403);
}

void TestFakeUpstream::sameThreadStart()
{
    FakeUpstream local;
    QVERIFY(local.start());
    QVERIFY(local.port() != m_fake.port());
    local.enqueue(FakeBehavior().withStatus(504));
    QNetworkRequest request(QUrl(local.baseUrl() + QStringLiteral("/v1/models")));
    request.setRawHeader("Authorization", "Bearer k");
    const Response response = finish(m_manager.get(request));
    QCOMPARE(response.status, 504);
    QCOMPARE(local.requestCount(), 1);
    QCOMPARE(m_fake.requestCount(), 0);
}

void TestFakeUpstream::standaloneProcess()
{
    const QString binary = qEnvironmentVariable("FAKE_UPSTREAM_BINARY");
    QVERIFY2(!binary.isEmpty(), "FAKE_UPSTREAM_BINARY is not set: run this test through ctest, which sets it");
    QProcess process;
    process.start(binary, {QStringLiteral("--port"), QStringLiteral("0")});
    QVERIFY(process.waitForStarted());
    QVERIFY(process.waitForReadyRead(5000));
    const QByteArray line = process.readLine().trimmed();
    QVERIFY2(line.startsWith("listening on 127.0.0.1:"), line.constData());
    const QString url = QStringLiteral("http://") + QString::fromLatin1(line.mid(13));

    QNetworkRequest request(QUrl(url + QStringLiteral("/v1/chat/completions")));
    request.setRawHeader("Authorization", "Bearer k");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const Response response = finish(m_manager.post(
        request, QJsonDocument(chatRequest(QStringLiteral("fake:status=429,retry_after=2"), QStringLiteral("a"))).toJson()));
    QCOMPARE(response.status, 429);
    QCOMPARE(response.header("retry-after"), QByteArrayLiteral("2"));

    process.terminate();
    QVERIFY(process.waitForFinished(5000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestFakeUpstream)
#include "tst_fakeupstream.moc"
