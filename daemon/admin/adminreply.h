#pragma once

#include "common/serviceerror.h"
#include "fielderrors.h"
#include "http/httpexchange.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace gw {

// Parsing and answering helpers every admin controller shares, so that all
// of them read bodies, page lists and report errors the same way.
class AdminReply
{
public:
    struct Paging
    {
        QString cursor;
        int limit = 50;
    };

    // The request body as a JSON object; answers 400 and returns nullopt
    // when it is not one. An empty body reads as {}.
    static std::optional<QJsonObject> jsonBody(const HttpExchangePtr &exchange);
    static std::optional<Paging> paging(const HttpExchangePtr &exchange);
    static QString param(const HttpExchangePtr &exchange, QByteArrayView name);
    static QString query(const HttpExchangePtr &exchange, QByteArrayView name);

    static void ok(const HttpExchangePtr &exchange, const QJsonObject &body, int status = 200);
    static void page(const HttpExchangePtr &exchange, const QJsonArray &data, const QString &nextCursor);
    static void deleted(const HttpExchangePtr &exchange, const QString &id, const QString &object);
    static void fieldErrors(const HttpExchangePtr &exchange, const FieldErrors &errors);
    static void error(const HttpExchangePtr &exchange, const ServiceError &error);
};

} // namespace gw
