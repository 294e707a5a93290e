// The same trivial server as qthttpserver-hello, on gatewayd's own HTTP front
// (daemon/http), one worker thread: the two are compared in docs/performance.md.
#include "http/httpexchange.h"
#include "http/httpserver.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    auto router = std::make_shared<gw::HttpRouter>();
    auto hello = [](const gw::HttpExchangePtr &ex) {
        ex->respond(gw::HttpResponse::json(200, QByteArrayLiteral("{\"status\":\"ok\"}")));
    };
    router->add("GET", "/healthz", gw::ApiFamily::Operations, gw::AnyScope, hello);
    router->add("POST", "/healthz", gw::ApiFamily::Operations, gw::AnyScope, hello);
    gw::HttpServer server(router, gw::HttpLimits(), 1);
    QString error;
    const quint16 port = quint16(QCoreApplication::arguments().value(1).toUInt());
    if (!server.listen({{QHostAddress(QHostAddress::LocalHost), port, gw::AnyScope}}, &error))
        return 1;
    std::printf("listening on %u\n", server.ports().first());
    std::fflush(stdout);
    return app.exec();
}
