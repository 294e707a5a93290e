#pragma once

#include "apifamily.h"
#include "httpresponse.h"

#include <QJsonArray>
#include <QString>

namespace gw {

// An error answer in the calling family's own shape:
//   OpenAI, tasks, admin: {"error": {"message", "type", "param", "code"}}
//   Anthropic:            {"type": "error", "error": {"type", "message"}}
//   Gemini:               {"error": {"code", "message", "status"}}
struct ApiError
{
    int status = 500;
    QString message;
    QString code;       // machine-readable detail, e.g. "invalid_api_key"
    QString param;      // the field at fault, when there is one
    QJsonArray details; // e.g. every field error

    HttpResponse toResponse(ApiFamily family) const;

    static ApiError badRequest(const QString &message, const QString &param = {});
    static ApiError notFound(const QString &message);
};

} // namespace gw
