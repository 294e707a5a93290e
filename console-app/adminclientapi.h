#pragma once

#include "adminapi.h"

namespace gw::console {

// AdminApi over the network, through the shared gw::AdminClient.
class AdminClientApi final : public AdminApi
{
public:
    AdminClientApi();
    ~AdminClientApi() override;

    void setEndpoint(const QUrl &baseUrl, const QString &token) override;
    void get(const QString &path, Callback done) override;
    void post(const QString &path, const QJsonObject &body, Callback done) override;
    void patch(const QString &path, const QJsonObject &body, Callback done) override;
    void remove(const QString &path, Callback done) override;

private:
    gw::AdminClient m_client;
};

} // namespace gw::console
