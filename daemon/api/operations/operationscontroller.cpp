#include "operationscontroller.h"

#include "app/gatewaycore.h"
#include "http/httpexchange.h"
#include "store/sqlsession.h"
#include "version.h"

#include <QTimer>

namespace gw {

void OperationsController::registerRoutes(HttpRouter &router, GatewayCore &core)
{
    router.add("GET", "/healthz", ApiFamily::Operations, AnyScope, [](const HttpExchangePtr &ex) {
        ex->respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                                        {QStringLiteral("version"), productVersion()}}));
    });

    router.add("GET", "/readyz", ApiFamily::Operations, AnyScope, [&core](const HttpExchangePtr &ex) {
        if (core.draining()) {
            ex->respond(HttpResponse::json(503, QJsonObject{{QStringLiteral("status"), QStringLiteral("draining")}}));
            return;
        }
        // A database that does not answer within two seconds is as good as down.
        QTimer::singleShot(2000, ex->context(), [ex] {
            ex->respond(HttpResponse::json(503, QJsonObject{{QStringLiteral("status"), QStringLiteral("unavailable")},
                                                            {QStringLiteral("database"), QStringLiteral("timeout")}}));
        });
        core.store().read<int>(ex->context(), [](SqlSession &s) {
            QSqlQuery &q = s.exec(QStringLiteral("SELECT 1"));
            return q.next() ? q.value(0).toInt() : 0;
        }, [ex](Outcome<int> o) {
            if (o.ok() && o.value() == 1)
                ex->respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ready")},
                                                                {QStringLiteral("database"), QStringLiteral("ok")}}));
            else
                ex->respond(HttpResponse::json(503, QJsonObject{{QStringLiteral("status"), QStringLiteral("unavailable")},
                                                                {QStringLiteral("database"), o.ok() ? QStringLiteral("error") : o.error().message()}}));
        });
    });

    router.add("GET", "/metrics", ApiFamily::Operations, AnyScope, [&core](const HttpExchangePtr &ex) {
        ex->respond(HttpResponse::text(200, core.metrics().render(), "text/plain; version=0.0.4; charset=utf-8"));
    });
}

} // namespace gw
