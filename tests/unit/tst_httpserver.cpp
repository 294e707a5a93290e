#include "http/httpexchange.h"
#include "http/httprouter.h"
#include "http/httpserver.h"
#include "http/sseevent.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <atomic>

using namespace gw;

namespace {

struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool complete = false;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return {};
    }
};

// A hand-driven HTTP/1.1 client: it sends exactly the bytes it is given and
// reads responses off the raw socket, so tests can do what real clients
// should not (pipelining, lying about lengths, stalling).
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(3000);
    }

    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.waitForBytesWritten(3000);
    }

    // Reads one response (Content-Length, chunked or until close).
    RawResponse read(int timeoutMs = 5000)
    {
        RawResponse r;
        QElapsedTimer timer;
        timer.start();
        auto fill = [&]() -> bool {
            if (timer.elapsed() > timeoutMs)
                return false;
            if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
                return false;
            if (m_socket.waitForReadyRead(int(qMax<qint64>(1, timeoutMs - timer.elapsed()))) || m_socket.bytesAvailable())
                m_buffer += m_socket.readAll();
            return true;
        };
        qsizetype headEnd;
        while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
            if (!fill())
                return r;
        }
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        m_buffer.remove(0, headEnd + 4);
        r.status = lines.first().split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            r.headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
        }
        if (r.status == 100 || r.status == 204 || m_headOnly) {
            r.complete = true;
            return r;
        }
        if (r.header("transfer-encoding") == "chunked") {
            while (true) {
                qsizetype nl;
                while ((nl = m_buffer.indexOf("\r\n")) < 0)
                    if (!fill())
                        return r;
                bool ok = false;
                const qsizetype size = m_buffer.left(nl).toLongLong(&ok, 16);
                while (m_buffer.size() < nl + 2 + size + 2)
                    if (!fill())
                        return r;
                r.body += m_buffer.mid(nl + 2, size);
                m_buffer.remove(0, nl + 2 + size + 2);
                if (size == 0) {
                    r.complete = true;
                    return r;
                }
            }
        }
        const qsizetype length = r.header("content-length").toLongLong();
        while (m_buffer.size() < length)
            if (!fill())
                return r;
        r.body = m_buffer.left(length);
        m_buffer.remove(0, length);
        r.complete = true;
        return r;
    }

    // True when the server closes the connection within the time given.
    bool closedWithin(int ms)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < ms) {
            if (m_socket.state() == QAbstractSocket::UnconnectedState)
                return true;
            m_socket.waitForReadyRead(50);
            m_buffer += m_socket.readAll();
            if (m_socket.state() == QAbstractSocket::UnconnectedState)
                return true;
        }
        return false;
    }

    void setHeadOnly(bool on) { m_headOnly = on; }
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_headOnly = false;
};

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    std::atomic<int> m_gone{0};
    std::atomic<int> m_hangStarted{0};
    HttpLimits m_limits;

private Q_SLOTS:
    void initTestCase()
    {
        auto router = std::make_shared<HttpRouter>();
        router->add("POST", "/echo", ApiFamily::OpenAI, AnyScope, [](const HttpExchangePtr &ex) {
            ex->respond(HttpResponse::text(200, ex->request().body));
        });
        router->add("GET", "/hello", ApiFamily::OpenAI, AnyScope, [](const HttpExchangePtr &ex) {
            ex->respond(HttpResponse::text(200, "hello"));
        });
        router->add("GET", "/slow", ApiFamily::OpenAI, AnyScope, [](const HttpExchangePtr &ex) {
            QTimer::singleShot(300, ex->context(), [ex] { ex->respond(HttpResponse::text(200, "slow")); });
        });
        router->add("GET", "/hang", ApiFamily::OpenAI, AnyScope, [this](const HttpExchangePtr &ex) {
            ++m_hangStarted;
            ex->onClientGone([this] { ++m_gone; });
            // Keep the exchange alive without answering, as an upstream call would.
            auto *keeper = new QTimer(ex->context());
            keeper->setSingleShot(true);
            QObject::connect(keeper, &QTimer::timeout, keeper, [ex, keeper] {
                ex->respond(HttpResponse::text(200, "late"));
                keeper->deleteLater();
            });
            keeper->start(20000);
        });
        router->add("GET", "/stream", ApiFamily::OpenAI, AnyScope, [](const HttpExchangePtr &ex) {
            ex->beginStream(200, {{"content-type", "text/event-stream"}});
            auto *timer = new QTimer(ex->context());
            auto count = std::make_shared<int>(0);
            QObject::connect(timer, &QTimer::timeout, timer, [ex, timer, count] {
                if (++*count > 3) {
                    ex->write(SseEvent::format("[DONE]"));
                    ex->endStream();
                    timer->deleteLater();
                    return;
                }
                ex->write(SseEvent::format(QByteArray::number(*count)));
            });
            timer->start(20);
        });
        router->add("POST", "/small", ApiFamily::Admin, AnyScope, [](const HttpExchangePtr &ex) {
            ex->respond(HttpResponse::text(200, "ok"));
        }, 100);

        m_limits.maxBodyBytes = 1024;
        m_limits.maxHeaderBytes = 1024;
        m_limits.headerTimeoutMs = 400;
        m_limits.bodyTimeoutMs = 400;
        m_limits.idleTimeoutMs = 600;
        m_server = std::make_unique<HttpServer>(router, m_limits, 2);
        QString error;
        QVERIFY2(m_server->listen({{QHostAddress(QHostAddress::LocalHost), 0, AnyScope}}, &error), qPrintable(error));
        m_port = m_server->ports().first();
    }

    void cleanupTestCase()
    {
        m_server->stop();
    }

    void answersAndKeepsTheConnection()
    {
        RawClient c(m_port);
        for (int i = 0; i < 3; ++i) {
            c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            const RawResponse r = c.read();
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, QByteArray("hello"));
            QVERIFY(r.header("x-request-id").startsWith("req_"));
            QVERIFY(!r.header("date").isEmpty());
        }
    }

    void refusesAnAnnouncedOversizedBodyAtOnce()
    {
        RawClient c(m_port);
        QElapsedTimer t;
        t.start();
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\n");
        const RawResponse r = c.read();
        QCOMPARE(r.status, 413);
        QVERIFY(t.elapsed() < 1000);
        QCOMPARE(r.header("connection"), QByteArray("close"));
        const QJsonObject error = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("request_too_large"));
        QVERIFY(c.closedWithin(3000));
    }

    void refusesAChunkedBodyThatGrowsPastTheLimit()
    {
        RawClient c(m_port);
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 3; ++i)
            c.send("200\r\n" + QByteArray(0x200, 'a') + "\r\n");
        const RawResponse r = c.read();
        QCOMPARE(r.status, 413);
    }

    void appliesARouteOwnSmallerLimit()
    {
        RawClient c(m_port);
        c.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
        QCOMPARE(c.read().status, 413);
        RawClient ok(m_port);
        ok.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + QByteArray(100, 'b'));
        QCOMPARE(ok.read().status, 200);
    }

    void refusesOversizedHeaders()
    {
        RawClient c(m_port);
        c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(2000, 'h') + "\r\n\r\n");
        QCOMPARE(c.read().status, 431);
    }

    void timesOutSlowHeaders()
    {
        RawClient c(m_port);
        QElapsedTimer t;
        t.start();
        c.send("GET /hello HTTP/1.1\r\nHost: x\r\n");
        const RawResponse r = c.read(3000);
        QCOMPARE(r.status, 408);
        QVERIFY(t.elapsed() >= m_limits.headerTimeoutMs - 50);
        QVERIFY(c.closedWithin(3000));
    }

    void timesOutAStalledBody()
    {
        RawClient c(m_port);
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        QCOMPARE(c.read(3000).status, 408);
    }

    void closesIdleConnections()
    {
        RawClient c(m_port);
        c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(c.read().status, 200);
        QVERIFY(c.closedWithin(3000));
    }

    void answersExpectContinueBeforeTheBody()
    {
        RawClient c(m_port);
        c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        QCOMPARE(c.read().status, 100);
        c.send("12345");
        const RawResponse r = c.read();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("12345"));

        RawClient big(m_port);
        big.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
        QCOMPARE(big.read().status, 413); // a final answer instead of 100: the body is never sent
    }

    void answersPipelinedRequestsInOrder()
    {
        RawClient c(m_port);
        c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        const RawResponse first = c.read();
        const RawResponse second = c.read();
        const RawResponse third = c.read();
        QCOMPARE(first.body, QByteArray("slow"));
        QCOMPARE(second.body, QByteArray("abc"));
        QCOMPARE(third.body, QByteArray("hello"));
        QVERIFY(first.header("x-request-id") != second.header("x-request-id"));
    }

    void noticesAClientThatGoesAway()
    {
        const int before = m_gone.load();
        const int started = m_hangStarted.load();
        {
            RawClient c(m_port);
            c.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
            QTRY_COMPARE_WITH_TIMEOUT(m_hangStarted.load(), started + 1, 3000);
            c.socket().abort();
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_gone.load(), before + 1, 3000);
    }

    void answersUnknownRoutesInTheFamilyShape()
    {
        RawClient c(m_port);
        c.send("POST /v1/messages/nope HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        RawResponse r = c.read();
        QCOMPARE(r.status, 404);
        QJsonObject body = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(body.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(body.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("not_found_error"));

        c.send("GET /v1beta/nothing HTTP/1.1\r\nHost: x\r\n\r\n");
        r = c.read();
        body = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(body.value(QStringLiteral("error")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("NOT_FOUND"));
        QCOMPARE(body.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt(), 404);

        c.send("GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n");
        r = c.read();
        body = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(body.value(QStringLiteral("error")).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("invalid_request_error"));
    }

    void listsAllowedMethodsOn405()
    {
        RawClient c(m_port);
        c.send("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        const RawResponse r = c.read();
        QCOMPARE(r.status, 405);
        QVERIFY(r.header("allow").contains("GET"));
    }

    void headHasNoBody()
    {
        RawClient c(m_port);
        c.setHeadOnly(true);
        c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        const RawResponse r = c.read();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-length"), QByteArray("5"));
        c.setHeadOnly(false);
        c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(c.read().body, QByteArray("hello")); // nothing of the HEAD answer's body was left on the wire
    }

    void streamsWithChunkedEncoding()
    {
        RawClient c(m_port);
        c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        const RawResponse r = c.read();
        QVERIFY(r.complete);
        QCOMPARE(r.header("transfer-encoding"), QByteArray("chunked"));
        QCOMPARE(r.body, QByteArray("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: [DONE]\n\n"));
    }

    void http10ClosesAfterTheAnswer()
    {
        RawClient c(m_port);
        c.send("GET /hello HTTP/1.0\r\n\r\n");
        const RawResponse r = c.read();
        QCOMPARE(r.status, 200);
        QVERIFY(c.closedWithin(2000));
    }

    void refusesGarbage()
    {
        RawClient c(m_port);
        static const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
        c.send(QByteArray(hello, sizeof hello - 1));
        QCOMPARE(c.read().status, 400);
    }

    void drainFinishesBusyConnectionsAndClosesIdleOnes()
    {
        // Run last: it stops the server from accepting.
        RawClient idle(m_port);
        idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(idle.read().status, 200);
        RawClient busy(m_port);
        busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        QTest::qWait(50);
        m_server->beginDrain();
        QVERIFY(idle.closedWithin(2000));
        const RawResponse r = busy.read();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("connection"), QByteArray("close"));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 0, 5000);
        QTcpSocket late;
        late.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(!late.waitForConnected(500) || !late.waitForReadyRead(500));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
