#include "adminclientapi.h"

namespace gw::console {

AdminClientApi::AdminClientApi() = default;

AdminClientApi::~AdminClientApi() = default;

void AdminClientApi::setEndpoint(const QUrl &baseUrl, const QString &token)
{
    m_client.setEndpoint(baseUrl, token);
}

void AdminClientApi::get(const QString &path, Callback done)
{
    m_client.get(path, std::move(done));
}

void AdminClientApi::post(const QString &path, const QJsonObject &body, Callback done)
{
    m_client.post(path, body, std::move(done));
}

void AdminClientApi::patch(const QString &path, const QJsonObject &body, Callback done)
{
    m_client.patch(path, body, std::move(done));
}

void AdminClientApi::remove(const QString &path, Callback done)
{
    m_client.remove(path, std::move(done));
}

} // namespace gw::console
