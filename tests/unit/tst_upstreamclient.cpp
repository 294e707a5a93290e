#include "fakeupstream.h"
#include "upstream/upstreamcall.h"
#include "upstream/upstreamclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <curl/curl.h>

#include <memory>

using namespace gw;
using gw::test::FakeBehavior;
using gw::test::FakeUpstream;

namespace {

QByteArray headerValue(const UpstreamHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (key == name)
            return value;
    }
    return {};
}

// Everything a call reported, with when it arrived.
struct Recorder
{
    QElapsedTimer clock;
    int heads = 0;
    int status = 0;
    UpstreamHeaders headers;
    QList<QByteArray> chunks;
    QList<qint64> chunkMs;
    QByteArray body;
    int dones = 0;
    UpstreamResult result;
    bool dataBeforeHead = false;
    bool callbackAfterDone = false;
    // Extra behaviour, run from inside the callbacks.
    std::function<void(Recorder &)> onHeadHook;
    std::function<void(Recorder &)> onDataHook;
    std::function<void(Recorder &)> onDoneHook;
    // Dies with the callbacks: tells whether the client let go of them.
    std::shared_ptr<int> sentinel = std::make_shared<int>(0);

    Recorder() { clock.start(); }

    UpstreamClient::Callbacks callbacks()
    {
        UpstreamClient::Callbacks callbacks;
        std::shared_ptr<int> held = sentinel;
        callbacks.onHead = [this, held](int code, const UpstreamHeaders &fields) {
            if (dones > 0)
                callbackAfterDone = true;
            ++heads;
            status = code;
            headers = fields;
            if (onHeadHook)
                onHeadHook(*this);
        };
        callbacks.onData = [this, held](const QByteArray &chunk) {
            if (dones > 0)
                callbackAfterDone = true;
            if (heads == 0)
                dataBeforeHead = true;
            chunks.append(chunk);
            chunkMs.append(clock.elapsed());
            body += chunk;
            if (onDataHook)
                onDataHook(*this);
        };
        callbacks.onDone = [this, held](const UpstreamResult &done) {
            ++dones;
            result = done;
            if (onDoneHook)
                onDoneHook(*this);
        };
        return callbacks;
    }
};

// Spins a real event loop until `done` holds. QTRY_* sleeps 10 ms between
// passes of the loop, which would show up in every round trip measured.
bool spinUntil(const std::function<bool()> &done, int timeoutMs = 5000)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setTimerType(Qt::PreciseTimer);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    poll.start(2);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

QByteArray chatBody(const QString &text, bool stream)
{
    QJsonObject message{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), text}};
    QJsonObject body{{QStringLiteral("model"), QStringLiteral("gpt-4o")},
                     {QStringLiteral("messages"), QJsonArray{message}}};
    if (stream)
        body.insert(QStringLiteral("stream"), true);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

UpstreamRequest chatRequest(const FakeUpstream &fake, bool stream, const QString &text = QStringLiteral("hello world"))
{
    UpstreamRequest request;
    request.url = (fake.baseUrl() + QStringLiteral("/v1/chat/completions")).toUtf8();
    request.headers = {{QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer sk-upstream")},
                       {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                       {QByteArrayLiteral("X-Custom"), QByteArrayLiteral("42")}};
    request.body = chatBody(text, stream);
    return request;
}

QString words(int count)
{
    QStringList list;
    for (int i = 0; i < count; ++i)
        list.append(QStringLiteral("w%1").arg(i));
    return list.join(QLatin1Char(' '));
}

// A one-shot HTTP server in the test's thread that answers whatever it is
// scripted to, for responses the fake upstream cannot produce.
class RawServer : public QObject
{
public:
    // With `waitForHead` false it answers the first bytes, whatever they are.
    explicit RawServer(QByteArray reply, bool waitForHead = true)
        : m_reply(std::move(reply))
        , m_waitForHead(waitForHead)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    m_in += socket->readAll();
                    if (m_answered || (m_waitForHead && !m_in.contains("\r\n\r\n")))
                        return;
                    m_answered = true;
                    socket->write(m_reply);
                    socket->flush();
                    socket->disconnectFromHost();
                });
            }
        });
    }
    QByteArray url(QByteArrayView scheme = "http") const
    {
        return scheme.toByteArray() + "://127.0.0.1:" + QByteArray::number(m_server.serverPort()) + "/raw";
    }

private:
    QTcpServer m_server;
    QByteArray m_reply;
    QByteArray m_in;
    bool m_waitForHead;
    bool m_answered = false;
};

// A TLS server with a self-signed certificate for 127.0.0.1 (valid until
// 2126): no trust store knows it, so a verifying client must refuse it.
class SelfSignedTlsServer : public QTcpServer
{
public:
    SelfSignedTlsServer() { listen(QHostAddress::LocalHost, 0); }
    QByteArray url() const { return "https://127.0.0.1:" + QByteArray::number(serverPort()) + "/v1/chat/completions"; }
    int handshakesStarted = 0;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        static const QByteArray certificate = QByteArrayLiteral(
            "-----BEGIN CERTIFICATE-----\n"
            "MIIBjzCCATagAwIBAgIUF8EX6fQaEC7aHnpkiBRH0pgUnsEwCgYIKoZIzj0EAwIw\n"
            "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMjAxMDQwNVoYDzIxMjYxMDI5\n"
            "MDEwNDA1WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
            "PQMBBwNCAARN+0bkBh2NtQd2c5Nyqhc/aGpVqDXC2EDJghdz1ThAaAcbfFuT6EtY\n"
            "HjZM9dpTqOsc/FKwHMPSyocueNvT+DJoo2QwYjAdBgNVHQ4EFgQUwajELxCG1xbU\n"
            "q/c9zI//65DLL0owHwYDVR0jBBgwFoAUwajELxCG1xbUq/c9zI//65DLL0owDwYD\n"
            "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC\n"
            "IB4KuaeajcgdYUbWn0BG4yAoTbI7c5jOa1IDOTaPuRvQAiAC1poAGM8+YpyIvax1\n"
            "S6FpqQyknujv/YKTbEqB+TUzoQ==\n"
            "-----END CERTIFICATE-----\n");
        static const QByteArray key = QByteArrayLiteral(
            "-----BEGIN PRIVATE KEY-----\n"
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgi1jfgOoD2x0+hE7k\n"
            "HYv/XyRXDY6evgAtUnRaQdCUWSChRANCAARN+0bkBh2NtQd2c5Nyqhc/aGpVqDXC\n"
            "2EDJghdz1ThAaAcbfFuT6EtYHjZM9dpTqOsc/FKwHMPSyocueNvT+DJo\n"
            "-----END PRIVATE KEY-----\n");
        auto *socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setLocalCertificate(QSslCertificate(certificate));
        socket->setPrivateKey(QSslKey(key, QSsl::Ec));
        ++handshakesStarted;
        socket->startServerEncryption();
    }
};

} // namespace

class TestUpstreamClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void jsonAnswer();
    void requestHeadersAsGiven();
    void largeBodyWithoutExpect();
    void sseEventsArriveAsTheyAreSent();
    void idleTimerRestartsOnData();
    void connectionsAreReused();
    void concurrentCallsAreNotQueuedPerHost();
    void connectRefused();
    void tlsCertificateIsVerified();
    void tlsToPlainServerIsConnect();
    void closedWithoutAnswerIsConnect();
    void connectTimeout();
    void firstByteTimeout();
    void idleTimeoutMidStream();
    void totalTimeout();
    void cutResponseIsProtocol_data();
    void cutResponseIsProtocol();
    void malformedResponseIsProtocol();
    void interimResponsesAreSkipped();
    void refusedRequests_data();
    void refusedRequests();
    void cancelMidStream();
    void cancelInsideOnData();
    void cancelInsideOnHead();
    void cancelInsideOnDoneIsHarmless();
    void cancelOtherCallFromInsideCallback();
    void startFromInsideOnData();
    void pauseResumeKeepsBytesInOrder();
    void destroyingClientWithCallsInFlight();
    void forContextGivesOneClientPerContext();
    void proxyFromEnvironment();

private:
    FakeUpstream m_fake;
    QObject m_context;
    UpstreamClient *m_client = nullptr;
};

void TestUpstreamClient::initTestCase()
{
    // A proxy in the environment of whoever runs the tests must not catch
    // the calls to the local fake.
    qputenv("no_proxy", "127.0.0.1,localhost");
    qunsetenv("http_proxy");
    qunsetenv("HTTP_PROXY");
    QVERIFY(m_fake.startInThread());
}

void TestUpstreamClient::init()
{
    m_fake.reset();
    m_client = new UpstreamClient(&m_context);
}

void TestUpstreamClient::cleanup()
{
    // Destroyed before checking: after a failed check, calls still running
    // must not reach the test's recorders, which are gone.
    const int leftOver = m_client->activeCalls();
    delete m_client;
    m_client = nullptr;
    QCOMPARE(leftOver, 0);
}

void TestUpstreamClient::jsonAnswer()
{
    Recorder rec;
    std::weak_ptr<int> callbacksAlive = rec.sentinel;
    UpstreamClient::Callbacks callbacks = rec.callbacks();
    rec.sentinel.reset();
    auto call = m_client->start(chatRequest(m_fake, false), std::move(callbacks));
    QVERIFY(call->isActive());
    QCOMPARE(m_client->activeCalls(), 1);
    QCOMPARE(rec.dones, 0); // nothing runs inside start()
    QTRY_COMPARE(rec.dones, 1);

    const UpstreamResult &r = rec.result;
    QCOMPARE(r.failure, UpstreamFailure::None);
    QVERIFY2(r.message.isEmpty(), qPrintable(r.message));
    QCOMPARE(r.status, 200);
    QCOMPARE(rec.heads, 1);
    QCOMPARE(rec.status, 200);
    QVERIFY(!rec.dataBeforeHead);
    QCOMPARE(headerValue(r.headers, "x-request-id"), QByteArrayLiteral("fake-req-1"));
    QCOMPARE(headerValue(r.headers, "content-type"), QByteArrayLiteral("application/json"));
    QCOMPARE(r.headers, rec.headers);
    for (const auto &header : r.headers)
        QCOMPARE(header.first, header.first.toLower());
    const QJsonObject answer = QJsonDocument::fromJson(rec.body).object();
    QCOMPARE(answer.value(QStringLiteral("choices")).toArray().at(0).toObject().value(QStringLiteral("message"))
                 .toObject().value(QStringLiteral("content")).toString(),
             QStringLiteral("Echo: hello world"));
    QCOMPARE(r.bytesReceived, rec.body.size());
    QCOMPARE(headerValue(r.headers, "content-length").toLongLong(), r.bytesReceived);
    QVERIFY(r.firstByteUs >= 0);
    QVERIFY(r.totalUs >= r.firstByteUs);
    QCOMPARE(r.remoteAddress, QByteArray("127.0.0.1:" + QByteArray::number(m_fake.port())));
    QCOMPARE(r.httpVersion, 11);
    QCOMPARE(r.newConnections, 1);
    QVERIFY(!call->isActive());
    QCOMPARE(m_client->activeCalls(), 0);
    // The handle is still held here, the callbacks (and what they capture) are not.
    QTRY_VERIFY(callbacksAlive.expired());
    call->cancel(); // after the end: nothing
    QCOMPARE(rec.dones, 1);
}

void TestUpstreamClient::requestHeadersAsGiven()
{
    Recorder rec;
    UpstreamRequest request;
    request.method = "GET";
    request.url = (m_fake.baseUrl() + QStringLiteral("/v1/models")).toUtf8();
    request.headers = {{QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer sk-upstream")},
                       {QByteArrayLiteral("X-Empty"), QByteArray()},
                       {QByteArrayLiteral("Connection"), QByteArrayLiteral("close")},
                       {QByteArrayLiteral("Content-Length"), QByteArrayLiteral("999")}};
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::None);
    QCOMPARE(rec.result.status, 200);
    const auto recorded = m_fake.lastRequest();
    QCOMPARE(recorded.method, QByteArrayLiteral("GET"));
    QCOMPARE(recorded.header("authorization"), QByteArrayLiteral("Bearer sk-upstream"));
    QVERIFY(gw::test::fakeHeaderValue(recorded.headers, "x-empty").isEmpty());
    bool sawEmpty = false;
    for (const auto &header : recorded.headers)
        sawEmpty = sawEmpty || header.first == "x-empty";
    QVERIFY(sawEmpty);
    // Framing and connection headers are the client's own.
    QVERIFY(recorded.header("content-length").isEmpty());
    QVERIFY(recorded.header("connection").isEmpty());
    QVERIFY(recorded.header("content-type").isEmpty());
    QVERIFY(recorded.header("accept-encoding").isEmpty());
    QCOMPARE(recorded.header("accept"), QByteArrayLiteral("*/*"));
}

void TestUpstreamClient::largeBodyWithoutExpect()
{
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, false, QString(2 * 1024 * 1024, QLatin1Char('x')));
    const QByteArray sent = request.body;
    request.timeouts.firstByteMs = 5000;
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::None);
    QCOMPARE(rec.result.status, 200);
    const auto recorded = m_fake.lastRequest();
    QVERIFY(recorded.header("expect").isEmpty());
    QCOMPARE(recorded.header("content-type"), QByteArrayLiteral("application/json"));
    QCOMPARE(recorded.header("x-custom"), QByteArrayLiteral("42"));
    QCOMPARE(recorded.header("content-length").toLongLong(), sent.size());
    QCOMPARE(recorded.body.size(), sent.size());
    QVERIFY(recorded.body == sent);
}

void TestUpstreamClient::sseEventsArriveAsTheyAreSent()
{
    const int interval = 60;
    m_fake.enqueue(FakeBehavior().withStreamInterval(interval));
    Recorder rec;
    m_client->start(chatRequest(m_fake, true, QStringLiteral("one two three")), rec.callbacks());
    QVERIFY(spinUntil([&] { return rec.dones == 1; }));
    QCOMPARE(rec.result.failure, UpstreamFailure::None);
    QCOMPARE(rec.status, 200);
    QVERIFY(headerValue(rec.headers, "content-type").startsWith("text/event-stream"));
    QVERIFY(headerValue(rec.headers, "transfer-encoding").contains("chunked"));
    QVERIFY(rec.body.endsWith("data: [DONE]\n\n"));
    QVERIFY(rec.body.contains("\" two\""));
    // role, three words, finish, [DONE]: six events, five pauses between them.
    QVERIFY2(rec.chunks.size() >= 6, QByteArray::number(rec.chunks.size()).constData());
    int spaced = 0;
    for (qsizetype i = 1; i < rec.chunkMs.size(); ++i) {
        if (rec.chunkMs.at(i) - rec.chunkMs.at(i - 1) >= interval * 2 / 3)
            ++spaced;
    }
    QVERIFY2(spaced >= 4, QByteArray::number(spaced).constData());
    QCOMPARE(rec.result.bytesReceived, rec.body.size());
}

void TestUpstreamClient::idleTimerRestartsOnData()
{
    // Every gap (80 ms) is below the idle limit; the whole stream is far above it.
    m_fake.enqueue(FakeBehavior().withStreamInterval(80));
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, true, words(6));
    request.timeouts.idleMs = 250;
    request.timeouts.firstByteMs = 250;
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QVERIFY2(rec.result.failure == UpstreamFailure::None, qPrintable(rec.result.message));
    QVERIFY(rec.result.totalUs > 500000);
}

void TestUpstreamClient::connectionsAreReused()
{
    const int calls = 200;
    int done = 0;
    int failures = 0;
    int connections = 0;
    QSet<QByteArray> ids;
    std::function<void()> next;
    next = [&] {
        UpstreamClient::Callbacks callbacks;
        callbacks.onDone = [&](const UpstreamResult &result) {
            ++done;
            if (result.failure != UpstreamFailure::None || result.status != 200)
                ++failures;
            connections += result.newConnections;
            ids.insert(headerValue(result.headers, "x-request-id"));
            // Started from inside onDone: the connection is back in the cache by now.
            if (done < calls)
                next();
        };
        m_client->start(chatRequest(m_fake, false), callbacks);
    };
    QElapsedTimer clock;
    clock.start();
    next();
    QVERIFY(spinUntil([&] { return done == calls; }, 10000));
    qInfo("%d sequential calls took %lld ms", calls, clock.elapsed());
    QCOMPARE(failures, 0);
    QCOMPARE(ids.size(), calls);
    QCOMPARE(m_fake.requestCount(), calls);
    QVERIFY2(connections <= 2, QByteArray::number(connections).constData());
    QVERIFY(m_fake.openConnections() <= 2);
}

void TestUpstreamClient::concurrentCallsAreNotQueuedPerHost()
{
    const int calls = 50;
    const int delayMs = 300;
    m_fake.setDefaultBehavior(FakeBehavior().withDelay(delayMs));
    int done = 0;
    int ok = 0;
    int connections = 0;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < calls; ++i) {
        UpstreamClient::Callbacks callbacks;
        callbacks.onDone = [&](const UpstreamResult &result) {
            ++done;
            ok += result.failure == UpstreamFailure::None && result.status == 200;
            connections += result.newConnections;
        };
        m_client->start(chatRequest(m_fake, false), callbacks);
    }
    QCOMPARE(m_client->activeCalls(), calls);
    QVERIFY(spinUntil([&] { return done == calls; }, 10000));
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(ok, calls);
    // Six per host would take nine rounds (2.7 s).
    QVERIFY2(elapsed < 1500, QByteArray::number(elapsed).constData());
    QCOMPARE(connections, calls);
}

void TestUpstreamClient::connectRefused()
{
    quint16 port = 0;
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        port = server.serverPort();
    }
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, false);
    request.url = "http://127.0.0.1:" + QByteArray::number(port) + "/v1/chat/completions?key=SECRET";
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::Connect);
    QCOMPARE(rec.result.status, 0);
    QCOMPARE(rec.result.firstByteUs, -1);
    QCOMPARE(rec.heads, 0);
    QVERIFY(rec.result.curlCode != 0);
    QVERIFY(!rec.result.message.isEmpty());
    QVERIFY(!rec.result.message.contains(QLatin1String("SECRET")));
    QVERIFY(!rec.result.message.contains(QLatin1String("sk-upstream")));
}

void TestUpstreamClient::tlsCertificateIsVerified()
{
    // Qt's OpenSSL backend comes with Debian's libqt6network6; without it
    // this check of certificate verification would prove nothing.
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend here, so the test server cannot speak TLS");
    SelfSignedTlsServer server;
    QVERIFY(server.isListening());
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, false);
    request.url = server.url();
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(server.handshakesStarted, 1);
    QVERIFY2(rec.result.failure == UpstreamFailure::Connect, qPrintable(rec.result.message));
    QCOMPARE(rec.result.curlCode, int(CURLE_PEER_FAILED_VERIFICATION));
    QCOMPARE(rec.result.status, 0);
}

void TestUpstreamClient::tlsToPlainServerIsConnect()
{
    // The answer is plain HTTP where a TLS server hello belongs.
    RawServer server(QByteArrayLiteral("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"), false);
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, false);
    request.url = server.url("https");
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QVERIFY2(rec.result.failure == UpstreamFailure::Connect, qPrintable(rec.result.message));
    QCOMPARE(rec.result.curlCode, int(CURLE_SSL_CONNECT_ERROR));
}

void TestUpstreamClient::closedWithoutAnswerIsConnect()
{
    m_fake.enqueue(FakeBehavior().withHang());
    Recorder rec;
    m_client->start(chatRequest(m_fake, false), rec.callbacks());
    QTRY_COMPARE(m_fake.requestCount(), 1);
    m_fake.reset(); // closes the hanging connection without a byte
    QTRY_COMPARE(rec.dones, 1);
    QVERIFY2(rec.result.failure == UpstreamFailure::Connect, qPrintable(rec.result.message));
    QCOMPARE(rec.result.status, 0);
    QCOMPARE(rec.result.firstByteUs, -1);
}

void TestUpstreamClient::connectTimeout()
{
    // Accepts, then never answers the TLS client hello: the handshake is
    // part of connecting.
    RawServer server(QByteArrayLiteral("never sent"));
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, false);
    request.url = server.url("https");
    request.timeouts.connectMs = 300;
    request.timeouts.totalMs = 5000;
    QElapsedTimer clock;
    clock.start();
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::Timeout);
    QVERIFY2(rec.result.message.startsWith(QLatin1String("connect timeout")), qPrintable(rec.result.message));
    QVERIFY2(clock.elapsed() >= 290 && clock.elapsed() < 2000, QByteArray::number(clock.elapsed()).constData());
}

void TestUpstreamClient::firstByteTimeout()
{
    m_fake.enqueue(FakeBehavior().withHang());
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, false);
    request.timeouts.firstByteMs = 300;
    QElapsedTimer clock;
    clock.start();
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(rec.result.failure, UpstreamFailure::Timeout);
    QVERIFY2(rec.result.message.contains(QLatin1String("first-byte")), qPrintable(rec.result.message));
    QVERIFY2(elapsed >= 290 && elapsed < 2000, QByteArray::number(elapsed).constData());
    QCOMPARE(rec.result.status, 0);
    QTRY_COMPARE(m_fake.clientAborts(), 1); // the connection was closed, not left hanging
}

void TestUpstreamClient::idleTimeoutMidStream()
{
    m_fake.enqueue(FakeBehavior().withCutAfterEvents(2).withHang());
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, true, words(5));
    request.timeouts.idleMs = 300;
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::Timeout);
    QVERIFY2(rec.result.message.contains(QLatin1String("idle")), qPrintable(rec.result.message));
    QCOMPARE(rec.result.status, 200);
    QCOMPARE(rec.heads, 1);
    QVERIFY(rec.result.bytesReceived > 0);
    QCOMPARE(rec.result.bytesReceived, rec.body.size());
    QTRY_COMPARE(m_fake.clientAborts(), 1);
}

void TestUpstreamClient::totalTimeout()
{
    m_fake.enqueue(FakeBehavior().withDelay(3000));
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, false);
    request.timeouts.totalMs = 300;
    request.timeouts.firstByteMs = 0;
    QElapsedTimer clock;
    clock.start();
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::Timeout);
    QVERIFY2(rec.result.message.contains(QLatin1String("total")), qPrintable(rec.result.message));
    QVERIFY(clock.elapsed() < 2000);
    QTRY_COMPARE(m_fake.clientAborts(), 1);
}

void TestUpstreamClient::cutResponseIsProtocol_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("stream cut after two events") << true;
    QTest::newRow("json shorter than content-length") << false;
}

void TestUpstreamClient::cutResponseIsProtocol()
{
    QFETCH(bool, stream);
    m_fake.enqueue(FakeBehavior().withCutAfterEvents(2));
    Recorder rec;
    m_client->start(chatRequest(m_fake, stream, words(5)), rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QVERIFY2(rec.result.failure == UpstreamFailure::Protocol, qPrintable(rec.result.message));
    QCOMPARE(rec.result.status, 200);
    QCOMPARE(rec.heads, 1);
    QVERIFY(rec.result.bytesReceived > 0);
    QVERIFY(!rec.result.message.isEmpty());
}

void TestUpstreamClient::malformedResponseIsProtocol()
{
    RawServer server(QByteArrayLiteral("THIS IS NOT HTTP\r\n\r\n"));
    Recorder rec;
    UpstreamRequest request;
    request.method = "GET";
    request.url = server.url();
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QVERIFY2(rec.result.failure == UpstreamFailure::Protocol, qPrintable(rec.result.message));
    QCOMPARE(rec.heads, 0);
}

void TestUpstreamClient::interimResponsesAreSkipped()
{
    RawServer server(QByteArrayLiteral("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final:  yes \r\n\r\nok"));
    Recorder rec;
    UpstreamRequest request;
    request.method = "GET";
    request.url = server.url();
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::None);
    QCOMPARE(rec.heads, 1);
    QCOMPARE(rec.status, 200);
    QCOMPARE(headerValue(rec.headers, "x-final"), QByteArrayLiteral("yes"));
    QVERIFY(headerValue(rec.headers, "link").isEmpty());
    QCOMPARE(rec.body, QByteArrayLiteral("ok"));
}

void TestUpstreamClient::refusedRequests_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QByteArray>("headerValue");
    QTest::newRow("ftp") << QByteArrayLiteral("POST") << QByteArrayLiteral("ftp://127.0.0.1/x") << QByteArrayLiteral("v");
    QTest::newRow("relative") << QByteArrayLiteral("POST") << QByteArrayLiteral("/v1/chat/completions")
                              << QByteArrayLiteral("v");
    QTest::newRow("space in url") << QByteArrayLiteral("POST") << QByteArrayLiteral("http://127.0.0.1/a b")
                                  << QByteArrayLiteral("v");
    QTest::newRow("header injection") << QByteArrayLiteral("POST") << QByteArrayLiteral("http://127.0.0.1/")
                                      << QByteArrayLiteral("v\r\nX-Evil: 1");
    QTest::newRow("bad method") << QByteArrayLiteral("GE T") << QByteArrayLiteral("http://127.0.0.1/")
                                << QByteArrayLiteral("v");
}

void TestUpstreamClient::refusedRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, url);
    QFETCH(QByteArray, headerValue);
    Recorder rec;
    UpstreamRequest request;
    request.method = method;
    request.url = url;
    request.headers = {{QByteArrayLiteral("X-Test"), headerValue}};
    auto call = m_client->start(request, rec.callbacks());
    QCOMPARE(rec.dones, 0);
    QVERIFY(call->isActive());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::Other);
    QVERIFY(!rec.result.message.isEmpty());
    QVERIFY(!rec.result.message.contains(QLatin1String("X-Evil")));
    QVERIFY(!call->isActive());

    // Cancelled before its refusal is delivered: nothing at all.
    Recorder silent;
    auto cancelled = m_client->start(request, silent.callbacks());
    cancelled->cancel();
    QTest::qWait(20);
    QCOMPARE(silent.dones, 0);
}

void TestUpstreamClient::cancelMidStream()
{
    // Events 400 ms apart: the upstream must see the client go long before
    // the next one, not when that event finds the transfer refused.
    m_fake.enqueue(FakeBehavior().withStreamInterval(400));
    Recorder rec;
    auto call = m_client->start(chatRequest(m_fake, true, words(8)), rec.callbacks());
    QVERIFY(spinUntil([&] { return !rec.chunks.isEmpty(); }));
    QElapsedTimer clock;
    clock.start();
    call->cancel();
    QVERIFY(!call->isActive());
    QCOMPARE(m_client->activeCalls(), 0);
    const qsizetype chunks = rec.chunks.size();
    QVERIFY(spinUntil([&] { return m_fake.clientAborts() == 1; }, 2000));
    QVERIFY2(clock.elapsed() < 100, QByteArray::number(clock.elapsed()).constData());
    QTest::qWait(500);
    QCOMPARE(rec.chunks.size(), chunks);
    QCOMPARE(rec.dones, 0);
    call->pauseReceiving();
    call->resumeReceiving();
    call->cancel();
}

void TestUpstreamClient::cancelInsideOnData()
{
    m_fake.enqueue(FakeBehavior().withStreamInterval(50));
    Recorder rec;
    std::weak_ptr<int> callbacksAlive = rec.sentinel;
    std::shared_ptr<UpstreamCall> call;
    rec.onDataHook = [&](Recorder &) {
        // Cancel and drop the only handle from inside the callback.
        std::shared_ptr<UpstreamCall> local = std::move(call);
        local->cancel();
        local->cancel();
    };
    UpstreamClient::Callbacks callbacks = rec.callbacks();
    rec.sentinel.reset();
    call = m_client->start(chatRequest(m_fake, true, words(8)), std::move(callbacks));
    QTRY_COMPARE(m_fake.clientAborts(), 1);
    QCOMPARE(m_client->activeCalls(), 0);
    QTest::qWait(150);
    QCOMPARE(rec.chunks.size(), 1);
    QCOMPARE(rec.dones, 0);
    QTRY_VERIFY(callbacksAlive.expired());
}

void TestUpstreamClient::cancelInsideOnHead()
{
    m_fake.enqueue(FakeBehavior().withStreamInterval(50));
    Recorder rec;
    std::shared_ptr<UpstreamCall> call;
    rec.onHeadHook = [&](Recorder &) { call->cancel(); };
    call = m_client->start(chatRequest(m_fake, true, words(8)), rec.callbacks());
    QTRY_COMPARE(m_fake.clientAborts(), 1);
    QTest::qWait(150);
    QCOMPARE(rec.heads, 1);
    QCOMPARE(rec.chunks.size(), 0);
    QCOMPARE(rec.dones, 0);
}

void TestUpstreamClient::cancelInsideOnDoneIsHarmless()
{
    Recorder rec;
    std::shared_ptr<UpstreamCall> call;
    rec.onDoneHook = [&](Recorder &) {
        call->cancel();
        call.reset();
    };
    call = m_client->start(chatRequest(m_fake, false), rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.failure, UpstreamFailure::None);
    QVERIFY(!call);
}

void TestUpstreamClient::cancelOtherCallFromInsideCallback()
{
    m_fake.enqueue(FakeBehavior().withStreamInterval(400)); // the victim
    m_fake.enqueue(FakeBehavior().withStreamInterval(30));  // the one that cancels
    Recorder victim;
    Recorder canceller;
    auto victimCall = m_client->start(chatRequest(m_fake, true, words(4)), victim.callbacks());
    QVERIFY(spinUntil([&] { return !victim.chunks.isEmpty(); }));
    QElapsedTimer clock;
    canceller.onDataHook = [&](Recorder &self) {
        if (self.chunks.size() == 1) {
            clock.start();
            victimCall->cancel();
        }
    };
    m_client->start(chatRequest(m_fake, true, words(4)), canceller.callbacks());
    // libcurl is inside the canceller's transfer: the victim leaves the multi
    // handle right after, not when its next event happens to arrive.
    QVERIFY(spinUntil([&] { return m_fake.clientAborts() == 1; }, 2000));
    QVERIFY2(clock.elapsed() < 100, QByteArray::number(clock.elapsed()).constData());
    QVERIFY(spinUntil([&] { return canceller.dones == 1; }));
    QCOMPARE(canceller.result.failure, UpstreamFailure::None);
    QTest::qWait(450);
    QCOMPARE(victim.chunks.size(), 1);
    QCOMPARE(victim.dones, 0);
}

void TestUpstreamClient::startFromInsideOnData()
{
    m_fake.enqueue(FakeBehavior().withStreamInterval(30).withPathContains(QStringLiteral("chat")));
    Recorder outer;
    Recorder inner;
    outer.onDataHook = [&](Recorder &self) {
        if (self.chunks.size() != 1)
            return;
        UpstreamRequest request;
        request.method = "GET";
        request.url = (m_fake.baseUrl() + QStringLiteral("/v1/models")).toUtf8();
        request.headers = {{QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer sk-upstream")}};
        m_client->start(request, inner.callbacks());
    };
    m_client->start(chatRequest(m_fake, true, words(4)), outer.callbacks());
    QTRY_COMPARE(inner.dones, 1);
    QTRY_COMPARE(outer.dones, 1);
    QCOMPARE(inner.result.failure, UpstreamFailure::None);
    QCOMPARE(inner.result.status, 200);
    QCOMPARE(outer.result.failure, UpstreamFailure::None);
    QVERIFY(outer.body.endsWith("data: [DONE]\n\n"));
}

void TestUpstreamClient::pauseResumeKeepsBytesInOrder()
{
    const QString text = words(3000);
    Recorder reference;
    m_client->start(chatRequest(m_fake, true, text), reference.callbacks());
    QTRY_COMPARE_WITH_TIMEOUT(reference.dones, 1, 10000);
    QCOMPARE(reference.result.failure, UpstreamFailure::None);

    Recorder rec;
    std::shared_ptr<UpstreamCall> call;
    int pauses = 0;
    bool paused = false;
    bool dataWhilePaused = false;
    rec.onDataHook = [&](Recorder &self) {
        if (paused)
            dataWhilePaused = true;
        if (self.chunks.size() % 3 != 1)
            return;
        // The first pause outlasts the idle timeout, which must not count it.
        const int holdMs = pauses == 0 ? 400 : 5;
        ++pauses;
        paused = true;
        call->pauseReceiving();
        QTimer::singleShot(holdMs, m_client, [&] {
            paused = false;
            call->resumeReceiving();
        });
    };
    UpstreamRequest request = chatRequest(m_fake, true, text);
    request.timeouts.idleMs = 200;
    call = m_client->start(request, rec.callbacks());
    QTRY_COMPARE_WITH_TIMEOUT(rec.dones, 1, 10000);
    QVERIFY2(rec.result.failure == UpstreamFailure::None, qPrintable(rec.result.message));
    QVERIFY(!dataWhilePaused);
    QVERIFY2(pauses >= 5, QByteArray::number(pauses).constData());
    // Both streams differ only in their sequence numbers.
    static const QRegularExpression sequence(QStringLiteral("fake-\\d+"));
    QString expected = QString::fromUtf8(reference.body);
    QString actual = QString::fromUtf8(rec.body);
    expected.replace(sequence, QStringLiteral("fake-N"));
    actual.replace(sequence, QStringLiteral("fake-N"));
    QCOMPARE(actual.size(), expected.size());
    QVERIFY(actual == expected);
    QCOMPARE(rec.result.bytesReceived, rec.body.size());
}

void TestUpstreamClient::destroyingClientWithCallsInFlight()
{
    auto *client = new UpstreamClient(&m_context);
    m_fake.enqueue(FakeBehavior().withHang().withCount(1));
    m_fake.enqueue(FakeBehavior().withDelay(2000).withCount(1));
    m_fake.enqueue(FakeBehavior().withStreamInterval(100).withCount(1));
    Recorder hanging;
    Recorder delayed;
    Recorder streaming;
    std::weak_ptr<int> alive[] = {hanging.sentinel, delayed.sentinel, streaming.sentinel};
    auto first = client->start(chatRequest(m_fake, false), hanging.callbacks());
    QTRY_COMPARE(m_fake.requestCount(), 1);
    auto second = client->start(chatRequest(m_fake, false), delayed.callbacks());
    QTRY_COMPARE(m_fake.requestCount(), 2);
    auto third = client->start(chatRequest(m_fake, true, words(10)), streaming.callbacks());
    hanging.sentinel.reset();
    delayed.sentinel.reset();
    streaming.sentinel.reset();
    QTRY_VERIFY(!streaming.chunks.isEmpty());
    QCOMPARE(client->activeCalls(), 3);

    delete client;
    for (const auto &weak : alive)
        QVERIFY(weak.expired()); // callbacks released at once
    for (const auto &call : {first, second, third}) {
        QVERIFY(!call->isActive());
        call->pauseReceiving();
        call->resumeReceiving();
        call->cancel();
    }
    const qsizetype chunks = streaming.chunks.size();
    QTRY_COMPARE(m_fake.clientAborts(), 3);
    QTest::qWait(200);
    QCOMPARE(hanging.dones + delayed.dones + streaming.dones, 0);
    QCOMPARE(streaming.chunks.size(), chunks);
}

void TestUpstreamClient::forContextGivesOneClientPerContext()
{
    QObject first;
    QObject second;
    UpstreamClient *a = UpstreamClient::forContext(&first);
    QVERIFY(a);
    QCOMPARE(UpstreamClient::forContext(&first), a);
    QCOMPARE(a->parent(), &first);
    UpstreamClient *b = UpstreamClient::forContext(&second);
    QVERIFY(b != a);
    QPointer<UpstreamClient> guard(a);
    delete a;
    UpstreamClient *again = UpstreamClient::forContext(&first);
    QVERIFY(again);
    QCOMPARE(again->parent(), &first);
    QCOMPARE(UpstreamClient::forContext(&first), again);
    QVERIFY(!guard);

    Recorder rec;
    again->start(chatRequest(m_fake, false), rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    QCOMPARE(rec.result.status, 200);
}

void TestUpstreamClient::proxyFromEnvironment()
{
    // libcurl reads http_proxy itself; the fake then sees the absolute URL.
    qputenv("http_proxy", m_fake.baseUrl().toUtf8());
    Recorder rec;
    UpstreamRequest request = chatRequest(m_fake, false);
    request.url = "http://upstream.invalid/v1/chat/completions";
    m_client->start(request, rec.callbacks());
    QTRY_COMPARE(rec.dones, 1);
    qunsetenv("http_proxy");
    QVERIFY2(rec.result.failure == UpstreamFailure::None, qPrintable(rec.result.message));
    QCOMPARE(m_fake.requestCount(), 1);
    QCOMPARE(m_fake.lastRequest().path, QStringLiteral("http://upstream.invalid/v1/chat/completions"));
}

QTEST_GUILESS_MAIN(TestUpstreamClient)
#include "tst_upstreamclient.moc"
