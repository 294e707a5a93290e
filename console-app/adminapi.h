#pragma once

#include <adminclient.h>

#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace gw::console {

// The console's view of the admin API. Controllers depend on this interface
// rather than on gw::AdminClient so that tests can answer requests without a
// daemon, and so that ConnectionController can watch every reply on its way.
class AdminApi
{
public:
    using Reply = gw::AdminClient::Reply;
    using Callback = gw::AdminClient::Callback;

    virtual ~AdminApi();

    AdminApi(const AdminApi &) = delete;
    AdminApi &operator=(const AdminApi &) = delete;

    virtual void setEndpoint(const QUrl &baseUrl, const QString &token) = 0;

    // `path` is relative to /admin/v1 and may carry a query ("/channels?cursor=x").
    virtual void get(const QString &path, Callback done) = 0;
    virtual void post(const QString &path, const QJsonObject &body, Callback done) = 0;
    virtual void patch(const QString &path, const QJsonObject &body, Callback done) = 0;
    virtual void remove(const QString &path, Callback done) = 0;

protected:
    AdminApi() = default;
};

} // namespace gw::console
