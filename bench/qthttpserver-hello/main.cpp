// A minimal QtHttpServer 6.4 server answering GET /healthz with a small JSON
// body: the baseline that docs/performance.md compares gatewayd's own HTTP
// front against (see docs/architecture.md, "why it is not QtHttpServer").
#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponse>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QHttpServer server;
    server.route(QStringLiteral("/healthz"), [] {
        return QHttpServerResponse(QByteArrayLiteral("application/json"), QByteArrayLiteral("{\"status\":\"ok\"}"));
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, quint16(QCoreApplication::arguments().value(1).toUInt()));
    if (!port)
        return 1;
    std::printf("listening on %u\n", port);
    std::fflush(stdout);
    return app.exec();
}
