#include "parallelclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>

#include <memory>
#include <vector>

namespace gw::test {

namespace {

// Parses one complete response out of `buffer` (Content-Length or chunked); false until it is complete.
bool parse(const QByteArray &buffer, ParallelClient::Answer *answer)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    qsizetype length = -1;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const QByteArray name = line.left(line.indexOf(':')).toLower();
        const QByteArray value = line.mid(line.indexOf(':') + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding")
            chunked = value == "chunked";
        else if (name == "x-request-id")
            answer->requestId = value;
    }
    const QByteArray rest = buffer.mid(headEnd + 4);
    if (chunked) {
        if (!rest.contains("\r\n0\r\n\r\n") && !rest.startsWith("0\r\n\r\n"))
            return false;
        answer->body = rest;
    } else {
        if (length < 0 || rest.size() < length)
            return false;
        answer->body = rest.left(length);
    }
    answer->status = lines.first().split(' ').value(1).toInt();
    return true;
}

} // namespace

QList<ParallelClient::Answer> ParallelClient::post(quint16 port, const QByteArray &path,
                                                   const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                                                   int count, int timeoutMs)
{
    QByteArray request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n";
    for (const auto &h : headers)
        request += h.first + ": " + h.second + "\r\n";
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;

    struct Conn
    {
        std::unique_ptr<QTcpSocket> socket;
        QByteArray buffer;
        Answer answer;
        bool done = false;
    };
    std::vector<Conn> conns(static_cast<size_t>(count));
    QEventLoop loop;
    int finished = 0;
    auto finish = [&](Conn &c) {
        if (c.done)
            return;
        c.done = true;
        parse(c.buffer, &c.answer);
        if (++finished == count)
            loop.quit();
    };
    for (Conn &c : conns) {
        c.socket = std::make_unique<QTcpSocket>();
        QTcpSocket *s = c.socket.get();
        Conn *cp = &c;
        QObject::connect(s, &QTcpSocket::connected, s, [s, request] { s->write(request); });
        QObject::connect(s, &QTcpSocket::readyRead, s, [s, cp, &finish] {
            cp->buffer += s->readAll();
            Answer probe;
            if (parse(cp->buffer, &probe))
                finish(*cp);
        });
        QObject::connect(s, &QTcpSocket::disconnected, s, [s, cp, &finish] {
            cp->buffer += s->readAll();
            finish(*cp);
        });
        QObject::connect(s, &QTcpSocket::errorOccurred, s, [cp, &finish](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError)
                finish(*cp);
        });
        s->connectToHost(QHostAddress::LocalHost, port);
    }
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (finished < count)
        loop.exec();
    QList<Answer> out;
    for (Conn &c : conns) {
        if (!c.done)
            parse(c.buffer, &c.answer);
        out.append(c.answer);
    }
    return out;
}

} // namespace gw::test
