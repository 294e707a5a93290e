#include "adminclient.h"

#include <QBuffer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace gw {

AdminClient::AdminClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
}

void AdminClient::setEndpoint(const QUrl &baseUrl, const QString &token)
{
    m_baseUrl = baseUrl;
    m_token = token;
}

void AdminClient::get(const QString &path, Callback done)
{
    send("GET", path, {}, std::move(done));
}

void AdminClient::post(const QString &path, const QJsonObject &body, Callback done)
{
    send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), std::move(done));
}

void AdminClient::patch(const QString &path, const QJsonObject &body, Callback done)
{
    send("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact), std::move(done));
}

void AdminClient::remove(const QString &path, Callback done)
{
    send("DELETE", path, {}, std::move(done));
}

void AdminClient::send(const QByteArray &verb, const QString &path, const QByteArray &body, Callback done)
{
    QUrl url = m_baseUrl;
    QString base = url.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    url.setPath(base + QStringLiteral("/admin/v1") + (query < 0 ? path : path.left(query)));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));

    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setRawHeader("Accept", "application/json");
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(30000);

    QNetworkReply *reply = body.isEmpty() ? m_network->sendCustomRequest(request, verb)
                                          : m_network->sendCustomRequest(request, verb, body);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)]() {
        reply->deleteLater();
        if (done)
            done(readReply(reply));
    });
}

AdminClient::Reply AdminClient::readReply(QNetworkReply *reply)
{
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray raw = reply->readAll();
    QJsonParseError parseError;
    r.body = QJsonDocument::fromJson(raw, &parseError);
    if (r.status == 0) {
        r.error = reply->errorString();
    } else if (!r.ok()) {
        const QJsonObject error = r.body.object().value(QStringLiteral("error")).toObject();
        r.error = error.value(QStringLiteral("message")).toString();
        if (r.error.isEmpty())
            r.error = QStringLiteral("HTTP %1").arg(r.status);
    }
    return r;
}

} // namespace gw
