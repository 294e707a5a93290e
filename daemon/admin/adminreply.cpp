#include "adminreply.h"

#include "observability/logger.h"

#include <QJsonDocument>

namespace gw {

namespace {

QString codeFor(ServiceError::Kind kind)
{
    switch (kind) {
    case ServiceError::Kind::Invalid: return QStringLiteral("invalid_field");
    case ServiceError::Kind::Unauthorized: return QStringLiteral("unauthorized");
    case ServiceError::Kind::PaymentRequired: return QStringLiteral("insufficient_credits");
    case ServiceError::Kind::Forbidden: return QStringLiteral("forbidden");
    case ServiceError::Kind::NotFound: return QStringLiteral("not_found");
    case ServiceError::Kind::Conflict: return QStringLiteral("conflict");
    case ServiceError::Kind::Unavailable: return QStringLiteral("store_unavailable");
    case ServiceError::Kind::Failed: return QStringLiteral("internal_error");
    }
    return QStringLiteral("internal_error");
}

} // namespace

std::optional<QJsonObject> AdminReply::jsonBody(const HttpExchangePtr &exchange)
{
    const QByteArray &body = exchange->request().body;
    if (body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        exchange->respondError(ApiError::badRequest(
            QStringLiteral("the body is not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        exchange->respondError(ApiError::badRequest(QStringLiteral("the body must be a JSON object")));
        return std::nullopt;
    }
    return doc.object();
}

std::optional<AdminReply::Paging> AdminReply::paging(const HttpExchangePtr &exchange)
{
    Paging p;
    p.cursor = query(exchange, "cursor");
    bool found = false;
    const QByteArray limit = exchange->request().queryValue("limit", &found);
    if (found) {
        bool ok = false;
        const int n = limit.toInt(&ok);
        if (!ok || n < 1 || n > 500) {
            exchange->respondError(ApiError::badRequest(QStringLiteral("limit: must be an integer from 1 to 500"),
                                                        QStringLiteral("limit")));
            return std::nullopt;
        }
        p.limit = n;
    }
    return p;
}

QString AdminReply::param(const HttpExchangePtr &exchange, QByteArrayView name)
{
    return QString::fromUtf8(exchange->param(name));
}

QString AdminReply::query(const HttpExchangePtr &exchange, QByteArrayView name)
{
    return QString::fromUtf8(exchange->request().queryValue(name));
}

void AdminReply::ok(const HttpExchangePtr &exchange, const QJsonObject &body, int status)
{
    exchange->respond(HttpResponse::json(status, body));
}

void AdminReply::page(const HttpExchangePtr &exchange, const QJsonArray &data, const QString &nextCursor)
{
    ok(exchange, QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                             {QStringLiteral("data"), data},
                             {QStringLiteral("next_cursor"),
                              nextCursor.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(nextCursor)}});
}

void AdminReply::deleted(const HttpExchangePtr &exchange, const QString &id, const QString &object)
{
    ok(exchange, QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("object"), object}, {QStringLiteral("deleted"), true}});
}

void AdminReply::fieldErrors(const HttpExchangePtr &exchange, const FieldErrors &errors)
{
    ApiError e = ApiError::badRequest(errors.summary(), errors.entries().first().field);
    e.details = errors.toJson();
    exchange->respondError(e);
}

void AdminReply::error(const HttpExchangePtr &exchange, const ServiceError &error)
{
    ApiError e;
    e.status = error.httpStatus();
    e.message = error.message();
    e.code = codeFor(error.kind());
    e.param = error.field();
    if (e.status >= 500) {
        Logger::error("admin request failed", {{"request_id", exchange->requestId()}, {"error", error.message()}});
        if (error.kind() == ServiceError::Kind::Unavailable)
            e.message = QStringLiteral("the database is unavailable; try again");
        else
            e.message = QStringLiteral("internal error (request %1)").arg(QString::fromLatin1(exchange->requestId()));
    }
    exchange->respondError(e);
}

} // namespace gw
