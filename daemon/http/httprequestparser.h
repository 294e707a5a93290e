#pragma once

#include "httplimits.h"
#include "httprequest.h"

#include <QString>

namespace gw {

// An incremental HTTP/1.0 and 1.1 request parser. The caller hands it all the
// bytes it has not consumed yet; it consumes what it can and stops after the
// headers (so that the caller can refuse a body or answer 100-continue before
// a single body byte is read) and after the whole request.
//
// It is strict where leniency lets requests be smuggled: Content-Length with
// Transfer-Encoding, conflicting Content-Lengths, codings other than chunked,
// obsolete line folding and whitespace before a colon are all refused.
class HttpRequestParser
{
public:
    enum class Status {
        NeedMore,         // consumed what it could; call again with more bytes
        HeadersComplete,  // request() has its line and headers; body follows
        Complete,         // takeRequest() returns the whole request
        Error,            // errorStatus() and errorMessage() say why
    };

    explicit HttpRequestParser(const HttpLimits &limits);

    Status feed(const char *data, qsizetype size, qsizetype *consumed);

    const HttpRequest &request() const { return m_request; }
    HttpRequest takeRequest();
    void reset();

    // Lowers the body limit for the request whose head was just parsed (a
    // route may allow less than the server); a chunked body is held to it.
    void setBodyLimit(qint64 bytes) { m_bodyLimit = bytes; }
    qint64 bodyLimit() const { return m_bodyLimit; }

    bool hasBody() const { return m_chunked || m_contentLength > 0; }
    bool isChunked() const { return m_chunked; }
    qint64 contentLength() const { return m_contentLength; }  // -1 when chunked
    bool expectsContinue() const { return m_expectContinue; }
    bool wantsKeepAlive() const { return m_keepAlive; }
    // Whether any byte of the current request has been seen.
    bool started() const { return m_started; }

    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done, Failed };

    Status fail(int status, const QString &message);
    Status parseHead(const char *data, qsizetype size, qsizetype *consumed);
    bool parseRequestLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    Status finishHead();
    Status parseBody(const char *data, qsizetype size, qsizetype *consumed);

    HttpLimits m_limits;
    State m_state = State::Head;
    HttpRequest m_request;
    qsizetype m_scanFrom = 0;
    qint64 m_bodyLimit = 0;
    qint64 m_contentLength = 0;
    qint64 m_bodyRead = 0;
    qint64 m_chunkRemaining = 0;
    qsizetype m_trailerBytes = 0;
    bool m_chunked = false;
    bool m_expectContinue = false;
    bool m_keepAlive = true;
    bool m_started = false;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace gw
