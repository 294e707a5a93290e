#pragma once

#include "fakeheaders.h"
#include "fakerecordedrequest.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

class QTcpSocket;

namespace gw::test {

// One client connection speaking just enough HTTP/1.1 for a test double:
// Content-Length and chunked request bodies, Expect: 100-continue,
// keep-alive, one request at a time (pipelined ones wait), and responses
// whole, streamed (chunked, or close-delimited for HTTP/1.0), truncated or
// cut. It knows when the peer leaves while a request is being answered,
// which is what tests of upstream cancellation look for.
class FakeHttpConnection : public QObject
{
    Q_OBJECT

public:
    FakeHttpConnection(QTcpSocket *socket, QObject *parent);
    ~FakeHttpConnection() override;

    void start();

    // Answering the request last announced by requestReady(). Each of
    // sendResponse(), sendTruncated(closeAfter = true), endStream(), cut()
    // and closeNow() ends it.
    void sendResponse(int status, const FakeHeaders &headers, const QByteArray &body);
    // Declares the whole body's length but sends only its first `bytes`.
    void sendTruncated(int status, const FakeHeaders &headers, const QByteArray &body, qsizetype bytes, bool closeAfter);
    void beginStream(int status, const FakeHeaders &headers);
    void writeStreamData(const QByteArray &data);
    void endStream();
    // Closes without ending the stream or body, as an upstream crash would.
    void cut();
    // Closes at once; not counted as a client abort.
    void closeNow();

    bool isAnswering() const { return m_answering; }
    bool isClosed() const { return m_closed; }

Q_SIGNALS:
    void requestReady(const gw::test::FakeRecordedRequest &request);
    // The peer closed while its request was still being answered.
    void clientGone();
    void closed();

private:
    enum class Parse { NeedMore, Complete, Bad };

    void onReadyRead();
    void processInput();
    Parse parseRequest(FakeRecordedRequest *request);
    Parse parseChunkedBody(qsizetype from, QByteArray *body, qsizetype *end) const;
    void writeHead(int status, const FakeHeaders &headers, qint64 contentLength, bool chunked);
    void finishResponse();
    void onGone();

    QPointer<QTcpSocket> m_socket;
    QByteArray m_in;
    bool m_headParsed = false;
    qsizetype m_headEnd = 0;
    FakeRecordedRequest m_pending;
    qint64 m_contentLength = 0;
    bool m_chunkedBody = false;
    bool m_requestKeepAlive = true;
    bool m_http10 = false;

    bool m_answering = false;
    bool m_streamChunked = false;
    bool m_keepAlive = true;
    bool m_processing = false;
    bool m_closing = false;
    bool m_closed = false;
};

} // namespace gw::test
