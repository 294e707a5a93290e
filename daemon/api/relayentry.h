#pragma once

#include "access/apikeyrecord.h"
#include "billing/planrecord.h"
#include "http/apierror.h"
#include "http/httpexchange.h"
#include "relay/relayrequest.h"
#include "routing/catalog.h"

#include <memory>

namespace gw {

class GatewayCore;

// The steps every family's relay handler takes before a call goes upstream,
// each answering its own refusal in the caller's family shape (and keeping
// refusals of a known key in the usage log): the key, the model, admission.
class RelayEntry
{
public:
    RelayEntry(const HttpExchangePtr &exchange, GatewayCore &core, ApiFamily family);

    // The key, if it authenticates and may use this family; else answered.
    std::shared_ptr<const ApiKeyRecord> authenticate();
    // The model, if it exists, is enabled, is in the key's scope and is of
    // `type` ("chat", "embeddings"); else answered.
    Catalog::ModelPtr resolveModel(const ApiKeyRecord &key, const QString &modelId, const QString &type,
                                   const QString &endpoint);
    // Answers a refusal of an authenticated call and logs it.
    void refuse(const ApiKeyRecord &key, const QString &endpoint, const QString &modelId, const ApiError &error,
                const QList<QPair<QByteArray, QByteArray>> &headers = {});
    // Admission (limits, credits' owner state, blocks) and then the relay;
    // `tokens` is what the call may use, for token-rate limits.
    void admitAndRelay(RelayRequest request, const ModelInfo &model, qint64 tokens);

    // The plan of the key's account, if it has one.
    static std::shared_ptr<const PlanRecord> planOf(GatewayCore &core, const ApiKeyRecord &key);
    static QString familyName(ApiFamily family);

private:
    HttpExchangePtr m_exchange;
    GatewayCore &m_core;
    ApiFamily m_family;
};

} // namespace gw
