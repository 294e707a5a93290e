#include "fakeadminapi.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gw::console::testing {

void FakeAdminApi::setEndpoint(const QUrl &url, const QString &adminToken)
{
    baseUrl = url;
    token = adminToken;
    ++endpointChanges;
}

void FakeAdminApi::get(const QString &path, Callback done)
{
    enqueue(QStringLiteral("GET"), path, {}, std::move(done));
}

void FakeAdminApi::post(const QString &path, const QJsonObject &body, Callback done)
{
    enqueue(QStringLiteral("POST"), path, body, std::move(done));
}

void FakeAdminApi::patch(const QString &path, const QJsonObject &body, Callback done)
{
    enqueue(QStringLiteral("PATCH"), path, body, std::move(done));
}

void FakeAdminApi::remove(const QString &path, Callback done)
{
    enqueue(QStringLiteral("DELETE"), path, {}, std::move(done));
}

void FakeAdminApi::enqueue(const QString &verb, const QString &path, const QJsonObject &body, Callback done)
{
    m_requested.append(path);
    m_pending.append({verb, path, body, std::move(done)});
}

void FakeAdminApi::respond(const Reply &reply)
{
    respondAt(0, reply);
}

void FakeAdminApi::respondAt(qsizetype i, const Reply &reply)
{
    // Taken off the queue first: the callback may well send the next request.
    const Request request = m_pending.takeAt(i);
    if (request.done)
        request.done(reply);
}

AdminApi::Reply FakeAdminApi::ok(const QJsonObject &body, int status)
{
    Reply r;
    r.status = status;
    r.body = QJsonDocument(body);
    return r;
}

AdminApi::Reply FakeAdminApi::ok(const QByteArray &json)
{
    Reply r;
    r.status = 200;
    r.body = QJsonDocument::fromJson(json);
    return r;
}

AdminApi::Reply FakeAdminApi::apiError(int status, const QString &message, const QString &type)
{
    Reply r;
    r.status = status;
    r.body = QJsonDocument(QJsonObject{
        {QStringLiteral("error"),
         QJsonObject{
             {QStringLiteral("message"), message},
             {QStringLiteral("type"), type},
             {QStringLiteral("param"), QJsonValue::Null},
             {QStringLiteral("code"), QJsonValue::Null},
         }},
    });
    r.error = message;
    return r;
}

AdminApi::Reply FakeAdminApi::unreachable(const QString &why)
{
    Reply r;
    r.error = why;
    return r;
}

QJsonObject FakeAdminApi::page(const QJsonArray &items, const QString &nextCursor)
{
    return QJsonObject{
        {QStringLiteral("data"), items},
        {QStringLiteral("next_cursor"), nextCursor.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(nextCursor)},
    };
}

} // namespace gw::console::testing
