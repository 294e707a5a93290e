#include "apikeyauthenticator.h"

#include "apikeyregistry.h"
#include "http/httprequest.h"

namespace gw {

ApiKeyAuthenticator::ApiKeyAuthenticator(const ApiKeyRegistry &registry)
    : m_registry(registry)
{
}

QByteArray ApiKeyAuthenticator::presentedKey(const HttpRequest &request)
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.size() > 7 && authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return authorization.mid(7).trimmed();
    QByteArray key = request.header("x-api-key");
    if (!key.isEmpty())
        return key.trimmed();
    key = request.header("x-goog-api-key");
    if (!key.isEmpty())
        return key.trimmed();
    return request.queryValue("key").trimmed();
}

ApiKeyAuthenticator::Result ApiKeyAuthenticator::authenticate(const HttpRequest &request, qint64 nowMs) const
{
    Result result;
    const QByteArray presented = presentedKey(request);
    ApiError e;
    e.status = 401;
    if (presented.isEmpty()) {
        e.message = QStringLiteral("You didn't provide an API key. Send it as Authorization: Bearer KEY "
                                   "(or x-api-key, x-goog-api-key, or ?key=).");
        e.code = QStringLiteral("missing_api_key");
        result.error = e;
        return result;
    }
    const auto key = m_registry.lookup(presented);
    if (!key || key->isDeleted()) {
        e.message = QStringLiteral("Incorrect API key provided.");
        e.code = QStringLiteral("invalid_api_key");
        result.error = e;
        return result;
    }
    if (key->isExpired(nowMs)) {
        e.message = QStringLiteral("This API key has expired.");
        e.code = QStringLiteral("expired_api_key");
        result.error = e;
        return result;
    }
    if (key->status != QLatin1String("active")) {
        e.status = 403;
        e.message = QStringLiteral("This API key is disabled.");
        e.code = QStringLiteral("api_key_disabled");
        result.error = e;
        return result;
    }
    result.key = key;
    return result;
}

bool ApiKeyAuthenticator::allowsModel(const ApiKeyRecord &key, const QString &modelId)
{
    if (key.models.isEmpty())
        return true;
    for (const QString &pattern : key.models) {
        if (pattern == modelId || pattern == QLatin1String("*"))
            return true;
        if (pattern.endsWith(QLatin1Char('*')) && modelId.startsWith(QStringView(pattern).chopped(1)))
            return true;
    }
    return false;
}

bool ApiKeyAuthenticator::allowsFamily(const ApiKeyRecord &key, const QString &family)
{
    return key.families.isEmpty() || key.families.contains(family);
}

} // namespace gw
