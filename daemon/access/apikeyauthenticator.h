#pragma once

#include "apikeyrecord.h"
#include "http/apierror.h"

#include <memory>
#include <optional>

namespace gw {

class ApiKeyRegistry;
class HttpRequest;

// Finds the caller's API key in any of the places the families put it
// (Authorization: Bearer, x-api-key, x-goog-api-key, ?key=) and checks it:
// unknown, deleted or expired keys are 401, disabled keys 403.
class ApiKeyAuthenticator
{
public:
    struct Result
    {
        std::shared_ptr<const ApiKeyRecord> key;
        std::optional<ApiError> error;
    };

    explicit ApiKeyAuthenticator(const ApiKeyRegistry &registry);

    Result authenticate(const HttpRequest &request, qint64 nowMs) const;
    static QByteArray presentedKey(const HttpRequest &request);

    // Whether the key's model scope (ids, or patterns ending in *) admits `modelId`.
    static bool allowsModel(const ApiKeyRecord &key, const QString &modelId);
    static bool allowsFamily(const ApiKeyRecord &key, const QString &family);

private:
    const ApiKeyRegistry &m_registry;
};

} // namespace gw
