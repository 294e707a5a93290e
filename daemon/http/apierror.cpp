#include "apierror.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

namespace {

QString openAiType(int status)
{
    switch (status) {
    case 400: case 404: case 405: case 408: case 409: case 413: case 415: case 417: case 422: case 431:
        return QStringLiteral("invalid_request_error");
    case 401: return QStringLiteral("authentication_error");
    case 402: return QStringLiteral("insufficient_quota");
    case 403: return QStringLiteral("permission_error");
    case 429: return QStringLiteral("rate_limit_error");
    case 502: return QStringLiteral("upstream_error");
    case 503: return QStringLiteral("service_unavailable");
    case 504: return QStringLiteral("timeout_error");
    default: return status >= 500 ? QStringLiteral("server_error") : QStringLiteral("invalid_request_error");
    }
}

QString anthropicType(int status)
{
    switch (status) {
    case 401: return QStringLiteral("authentication_error");
    case 402: return QStringLiteral("billing_error");
    case 403: return QStringLiteral("permission_error");
    case 404: return QStringLiteral("not_found_error");
    case 413: return QStringLiteral("request_too_large");
    case 429: return QStringLiteral("rate_limit_error");
    case 503: case 529: return QStringLiteral("overloaded_error");
    case 504: return QStringLiteral("timeout_error");
    default: return status >= 500 ? QStringLiteral("api_error") : QStringLiteral("invalid_request_error");
    }
}

QString geminiStatus(int status)
{
    switch (status) {
    case 400: case 405: case 413: case 415: case 417: case 422: case 431:
        return QStringLiteral("INVALID_ARGUMENT");
    case 401: return QStringLiteral("UNAUTHENTICATED");
    case 402: return QStringLiteral("FAILED_PRECONDITION");
    case 403: return QStringLiteral("PERMISSION_DENIED");
    case 404: return QStringLiteral("NOT_FOUND");
    case 408: case 504: return QStringLiteral("DEADLINE_EXCEEDED");
    case 409: return QStringLiteral("ALREADY_EXISTS");
    case 429: return QStringLiteral("RESOURCE_EXHAUSTED");
    case 501: return QStringLiteral("UNIMPLEMENTED");
    case 502: case 503: return QStringLiteral("UNAVAILABLE");
    default: return status >= 500 ? QStringLiteral("INTERNAL") : QStringLiteral("INVALID_ARGUMENT");
    }
}

} // namespace

HttpResponse ApiError::toResponse(ApiFamily family) const
{
    QJsonObject body;
    switch (family) {
    case ApiFamily::Anthropic: {
        QJsonObject error{{QStringLiteral("type"), anthropicType(status)}, {QStringLiteral("message"), message}};
        body = QJsonObject{{QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("error"), error}};
        break;
    }
    case ApiFamily::Gemini: {
        QJsonObject error{{QStringLiteral("code"), status},
                          {QStringLiteral("message"), message},
                          {QStringLiteral("status"), geminiStatus(status)}};
        body = QJsonObject{{QStringLiteral("error"), error}};
        break;
    }
    case ApiFamily::OpenAI:
    case ApiFamily::Tasks:
    case ApiFamily::Admin:
    case ApiFamily::Operations: {
        QJsonObject error{{QStringLiteral("message"), message},
                          {QStringLiteral("type"), openAiType(status)},
                          {QStringLiteral("param"), param.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(param)},
                          {QStringLiteral("code"), code.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(code)}};
        if (!details.isEmpty())
            error.insert(QStringLiteral("details"), details);
        body = QJsonObject{{QStringLiteral("error"), error}};
        break;
    }
    }
    return HttpResponse::json(status, body);
}

ApiError ApiError::badRequest(const QString &message, const QString &param)
{
    ApiError e;
    e.status = 400;
    e.message = message;
    e.param = param;
    e.code = param.isEmpty() ? QStringLiteral("invalid_request") : QStringLiteral("invalid_field");
    return e;
}

ApiError ApiError::notFound(const QString &message)
{
    ApiError e;
    e.status = 404;
    e.message = message;
    e.code = QStringLiteral("not_found");
    return e;
}

} // namespace gw
