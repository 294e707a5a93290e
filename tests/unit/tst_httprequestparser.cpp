#include "http/httprequestparser.h"

#include <QTest>

using namespace gw;
using Status = HttpRequestParser::Status;

namespace {

struct Run
{
    QList<Status> statuses;
    QList<HttpRequest> requests;
    int errorStatus = 0;
    qsizetype leftover = 0;
};

// Feeds `input` `step` bytes at a time the way a connection does: unconsumed
// bytes stay and are handed over again with the next ones.
Run feed(const QByteArray &input, const HttpLimits &limits = {}, qsizetype step = 0)
{
    Run run;
    HttpRequestParser parser(limits);
    QByteArray pending;
    qsizetype offered = 0;
    if (step <= 0)
        step = input.size();
    while (true) {
        if (offered < input.size()) {
            pending += input.mid(offered, step);
            offered += step;
        }
        bool progressed = true;
        while (progressed) {
            progressed = false;
            qsizetype consumed = 0;
            const Status s = parser.feed(pending.constData(), pending.size(), &consumed);
            pending.remove(0, consumed);
            if (s == Status::NeedMore) {
                progressed = consumed > 0 && !pending.isEmpty();
                continue;
            }
            run.statuses.append(s);
            if (s == Status::Error) {
                run.errorStatus = parser.errorStatus();
                return run;
            }
            if (s == Status::Complete) {
                run.requests.append(parser.takeRequest());
                parser.reset();
            }
            progressed = true;
            if (pending.isEmpty())
                break;
        }
        if (offered >= input.size())
            break;
    }
    run.leftover = pending.size();
    return run;
}

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesASimpleRequest()
    {
        const Run run = feed("GET /v1/models?key=abc&x=1 HTTP/1.1\r\nHost: example\r\nX-Thing:  spaced  \r\n\r\n");
        QCOMPARE(run.requests.size(), 1);
        const HttpRequest &r = run.requests.first();
        QCOMPARE(r.method, QByteArray("GET"));
        QCOMPARE(r.path, QByteArray("/v1/models"));
        QCOMPARE(r.query, QByteArray("key=abc&x=1"));
        QCOMPARE(r.header("x-thing"), QByteArray("spaced"));
        QCOMPARE(r.queryValue("key"), QByteArray("abc"));
        QCOMPARE(r.versionMinor, 1);
    }

    void byteByByteEqualsAllAtOnce()
    {
        const QByteArray input = "POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world"
                                 "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
        for (qsizetype step : {qsizetype(1), qsizetype(2), qsizetype(7), qsizetype(1000)}) {
            const Run run = feed(input, {}, step);
            QCOMPARE(run.requests.size(), 2);
            QCOMPARE(run.requests.at(0).body, QByteArray("hello world"));
            QCOMPARE(run.requests.at(1).path, QByteArray("/b"));
            QCOMPARE(run.requests.at(1).body, QByteArray("hello world"));
            QCOMPARE(run.leftover, 0);
        }
    }

    void stopsAfterTheHeadSoThatABodyCanBeRefused()
    {
        HttpRequestParser parser{HttpLimits{}};
        const QByteArray head = "POST /x HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n";
        qsizetype consumed = 0;
        QCOMPARE(parser.feed(head.constData(), head.size(), &consumed), Status::HeadersComplete);
        QCOMPARE(consumed, head.size());
        QVERIFY(parser.expectsContinue());
        QCOMPARE(parser.contentLength(), qint64(4));
        QCOMPARE(parser.feed("body", 4, &consumed), Status::Complete);
        QCOMPARE(parser.takeRequest().body, QByteArray("body"));
    }

    void acceptsBareLineFeedsAndLeadingEmptyLines()
    {
        const Run run = feed("\r\n\r\nGET / HTTP/1.0\nConnection: keep-alive\n\n");
        QCOMPARE(run.requests.size(), 1);
        QCOMPARE(run.requests.first().versionMinor, 0);
    }

    void refusesWhatCouldBeSmuggled_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("status");
        QTest::newRow("length and chunked") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
        QTest::newRow("conflicting lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n") << 400;
        QTest::newRow("length list disagrees") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n") << 400;
        QTest::newRow("signed length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n") << 400;
        QTest::newRow("gzip coding") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501;
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n  c\r\n\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n") << 400;
        QTest::newRow("HTTP/2 preface") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("control in value") << QByteArray("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n") << 400;
        QTest::newRow("unknown expectation") << QByteArray("POST / HTTP/1.1\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\n") << 417;
        QTest::newRow("chunked on 1.0") << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
        QTest::newRow("bad chunk size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
        QTest::newRow("chunk without CRLF") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n") << 400;
    }
    void refusesWhatCouldBeSmuggled()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, status);
        const Run run = feed(input);
        QVERIFY(run.requests.isEmpty());
        QCOMPARE(run.errorStatus, status);
    }

    void enforcesTheBodyLimitBeforeReadingTheBody()
    {
        HttpLimits limits;
        limits.maxBodyBytes = 1000;
        QCOMPARE(feed("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", limits).errorStatus, 413);
        QCOMPARE(feed("POST / HTTP/1.1\r\nContent-Length: 10000000000\r\n\r\n", limits).errorStatus, 413);
        QCOMPARE(feed("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", limits).errorStatus, 413);
        // A chunked body is refused at the chunk header that would pass the limit.
        QCOMPARE(feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n", limits).statuses.last(), Status::HeadersComplete);
        QCOMPARE(feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n", limits).errorStatus, 413);
        QCOMPARE(feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", limits).errorStatus, 413);
        QCOMPARE(feed("POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + QByteArray(1000, 'x'), limits).requests.size(), 1);
    }

    void enforcesTheHeadLimits()
    {
        HttpLimits limits;
        limits.maxHeaderBytes = 256;
        limits.maxHeaderCount = 3;
        QCOMPARE(feed("GET / HTTP/1.1\r\nA: " + QByteArray(300, 'a') + "\r\n\r\n", limits).errorStatus, 431);
        // Refused as soon as the limit passes, without waiting for the end of the head.
        QCOMPARE(feed("GET / HTTP/1.1\r\nA: " + QByteArray(300, 'a'), limits).errorStatus, 431);
        QCOMPARE(feed("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits).errorStatus, 431);
        QCOMPARE(feed("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits).requests.size(), 1);
    }

    void readsKeepAliveSemantics()
    {
        HttpRequestParser parser{HttpLimits{}};
        qsizetype consumed = 0;
        QByteArray in = "GET / HTTP/1.1\r\nConnection: close\r\n\r\n";
        QCOMPARE(parser.feed(in.constData(), in.size(), &consumed), Status::Complete);
        QVERIFY(!parser.wantsKeepAlive());
        parser.reset();
        in = "GET / HTTP/1.0\r\n\r\n";
        QCOMPARE(parser.feed(in.constData(), in.size(), &consumed), Status::Complete);
        QVERIFY(!parser.wantsKeepAlive());
        parser.reset();
        in = "GET / HTTP/1.1\r\n\r\n";
        QCOMPARE(parser.feed(in.constData(), in.size(), &consumed), Status::Complete);
        QVERIFY(parser.wantsKeepAlive());
    }

    void keepsAbsoluteFormPathOnly()
    {
        const Run run = feed("GET http://example.com/v1/models?a=b HTTP/1.1\r\n\r\n");
        QCOMPARE(run.requests.size(), 1);
        QCOMPARE(run.requests.first().path, QByteArray("/v1/models"));
        QCOMPARE(run.requests.first().query, QByteArray("a=b"));
    }

    void redactsSecretQueryParameters()
    {
        HttpRequest r;
        r.target = "/v1beta/models/x:generateContent?alt=sse&key=AIzaSECRETSECRET&other=1";
        const QByteArray redacted = r.redactedTarget();
        QVERIFY(!redacted.contains("AIzaSECRET"));
        QVERIFY(redacted.contains("key=***"));
        QVERIFY(redacted.contains("alt=sse"));
        QVERIFY(redacted.contains("other=1"));
    }
};

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
