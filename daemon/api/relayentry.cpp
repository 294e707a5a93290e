#include "relayentry.h"

#include "access/accessgate.h"
#include "access/apikeyauthenticator.h"
#include "app/gatewaycore.h"
#include "common/timeformat.h"
#include "relay/relaysession.h"
#include "relay/usagerecorder.h"

namespace gw {

RelayEntry::RelayEntry(const HttpExchangePtr &exchange, GatewayCore &core, ApiFamily family)
    : m_exchange(exchange)
    , m_core(core)
    , m_family(family)
{
}

QString RelayEntry::familyName(ApiFamily family)
{
    switch (family) {
    case ApiFamily::Anthropic: return QStringLiteral("anthropic");
    case ApiFamily::Gemini: return QStringLiteral("gemini");
    case ApiFamily::Tasks: return QStringLiteral("tasks");
    case ApiFamily::OpenAI:
    case ApiFamily::Admin:
    case ApiFamily::Operations:
        break;
    }
    return QStringLiteral("openai");
}

std::shared_ptr<const ApiKeyRecord> RelayEntry::authenticate()
{
    const auto auth = m_core.authenticator().authenticate(m_exchange->request(), TimeFormat::nowMs());
    if (auth.error) {
        m_exchange->respond(auth.error->toResponse(m_family));
        return nullptr;
    }
    const QString family = familyName(m_family);
    if (!ApiKeyAuthenticator::allowsFamily(*auth.key, family)) {
        ApiError e;
        e.status = 403;
        e.message = QStringLiteral("This API key may not use the %1-compatible API.").arg(family);
        e.code = QStringLiteral("family_not_allowed");
        m_exchange->respond(e.toResponse(m_family));
        return nullptr;
    }
    return auth.key;
}

void RelayEntry::refuse(const ApiKeyRecord &key, const QString &endpoint, const QString &modelId, const ApiError &error,
                        const QList<QPair<QByteArray, QByteArray>> &headers)
{
    HttpResponse response = error.toResponse(m_family);
    for (const auto &h : headers)
        response.setHeader(h.first, h.second);
    m_exchange->respond(std::move(response));
    m_core.usageRecorder().recordRefusal(m_exchange->request(), key, familyName(m_family), endpoint, modelId, error);
}

Catalog::ModelPtr RelayEntry::resolveModel(const ApiKeyRecord &key, const QString &modelId, const QString &type,
                                           const QString &endpoint)
{
    const auto model = m_core.catalog().current()->model(modelId);
    ApiError e;
    if (!model || !model->enabled) {
        e.status = 404;
        e.message = QStringLiteral("The model '%1' does not exist or you do not have access to it.").arg(modelId);
        e.code = QStringLiteral("model_not_found");
        e.param = QStringLiteral("model");
    } else if (!ApiKeyAuthenticator::allowsModel(key, modelId)) {
        e.status = 403;
        e.message = QStringLiteral("This API key may not use the model '%1'.").arg(modelId);
        e.code = QStringLiteral("model_not_allowed");
        e.param = QStringLiteral("model");
    } else if (model->type != type) {
        e.status = 400;
        e.message = QStringLiteral("The model '%1' is a %2 model; this endpoint needs a %3 model.").arg(modelId, model->type, type);
        e.code = QStringLiteral("wrong_model_type");
        e.param = QStringLiteral("model");
    } else {
        return model;
    }
    refuse(key, endpoint, modelId, e);
    return nullptr;
}

void RelayEntry::admitAndRelay(RelayRequest request, const ModelInfo &model, qint64 tokens)
{
    Admission admission = m_core.gate().admit(m_exchange->request(), *request.key, model.id, tokens, TimeFormat::nowMs());
    if (admission.error) {
        refuse(*request.key, request.endpoint, model.id, *admission.error, admission.headers);
        return;
    }
    request.family = m_family;
    request.familyName = familyName(m_family);
    request.modelId = model.id;
    request.presentedKey = ApiKeyAuthenticator::presentedKey(m_exchange->request());
    request.admission = std::move(admission);
    RelaySession::start(m_exchange, std::move(request), m_core.relayServices());
}

std::shared_ptr<const PlanRecord> RelayEntry::planOf(GatewayCore &core, const ApiKeyRecord &key)
{
    const auto user = core.users().find(key.userId);
    return user && !user->planId.isEmpty() ? core.plans().find(user->planId) : nullptr;
}

} // namespace gw
