#pragma once

#include <QJsonDocument>
#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace gw {

// A small asynchronous client of the admin API (/admin/v1), used by the
// console and by tests. QNetworkAccessManager is fine here: the console makes
// a handful of calls, not the relay's thousands.
class AdminClient : public QObject
{
    Q_OBJECT

public:
    struct Reply
    {
        int status = 0;           // HTTP status, 0 when no answer came
        QJsonDocument body;
        QString error;            // transport error or the API's error message
        bool ok() const { return status >= 200 && status < 300; }
    };
    using Callback = std::function<void(const Reply &)>;

    explicit AdminClient(QObject *parent = nullptr);

    void setEndpoint(const QUrl &baseUrl, const QString &token);
    QUrl baseUrl() const { return m_baseUrl; }
    bool isConfigured() const { return m_baseUrl.isValid() && !m_token.isEmpty(); }

    // `path` is relative to /admin/v1, e.g. "/channels" or "/users/u_1/keys".
    void get(const QString &path, Callback done);
    void post(const QString &path, const QJsonObject &body, Callback done);
    void patch(const QString &path, const QJsonObject &body, Callback done);
    void remove(const QString &path, Callback done);

private:
    void send(const QByteArray &verb, const QString &path, const QByteArray &body, Callback done);
    static Reply readReply(QNetworkReply *reply);

    QNetworkAccessManager *m_network;
    QUrl m_baseUrl;
    QString m_token;
};

} // namespace gw
