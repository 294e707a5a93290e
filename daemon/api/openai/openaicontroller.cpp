#include "openaicontroller.h"

#include "access/accessgate.h"
#include "access/apikeyauthenticator.h"
#include "app/gatewaycore.h"
#include "common/timeformat.h"
#include "http/httpexchange.h"
#include "http/httprouter.h"
#include "modelslisting.h"
#include "openairequestinspector.h"
#include "relay/relaysession.h"

namespace gw {

namespace {

const QList<QByteArray> kPrefixes = {"/v1", "/openai/v1", "/api/v1"};

// Authenticates and checks that the key may use this family; answers the
// error itself and returns null when it may not.
std::shared_ptr<const ApiKeyRecord> authenticate(const HttpExchangePtr &ex, GatewayCore &core, const QString &family,
                                                 ApiFamily shape = ApiFamily::OpenAI)
{
    const auto auth = core.authenticator().authenticate(ex->request(), TimeFormat::nowMs());
    if (auth.error) {
        ex->respond(auth.error->toResponse(shape));
        return nullptr;
    }
    if (!ApiKeyAuthenticator::allowsFamily(*auth.key, family)) {
        ApiError e;
        e.status = 403;
        e.message = QStringLiteral("This API key may not use the %1-compatible API.").arg(family);
        e.code = QStringLiteral("family_not_allowed");
        ex->respond(e.toResponse(shape));
        return nullptr;
    }
    return auth.key;
}

// The model a call names, if it exists, is enabled, is of the right type and
// is in the key's scope; otherwise the error is answered here.
// Answers a refusal of an authenticated call and keeps it in the usage log.
void refuse(const HttpExchangePtr &ex, GatewayCore &core, const ApiKeyRecord &key, const QString &endpoint,
            const QString &modelId, const ApiError &error, const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    HttpResponse response = error.toResponse(ApiFamily::OpenAI);
    for (const auto &h : headers)
        response.setHeader(h.first, h.second);
    ex->respond(std::move(response));
    core.usageRecorder().recordRefusal(ex->request(), key, QStringLiteral("openai"), endpoint, modelId, error);
}

Catalog::ModelPtr resolveModel(const HttpExchangePtr &ex, GatewayCore &core, const ApiKeyRecord &key,
                               const QString &modelId, const QString &type)
{
    const auto model = core.catalog().current()->model(modelId);
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
    refuse(ex, core, key, type == QLatin1String("chat") ? QStringLiteral("chat") : QStringLiteral("embeddings"), modelId, e);
    return nullptr;
}

void relay(const HttpExchangePtr &ex, GatewayCore &core, OpenAiEndpoint endpoint)
{
    const auto key = authenticate(ex, core, QStringLiteral("openai"));
    if (!key)
        return;
    QString error;
    QString param;
    const auto view = OpenAiRequestInspector::inspect(ex->request().body, endpoint, &error, &param);
    if (!view) {
        refuse(ex, core, *key, endpoint == OpenAiEndpoint::ChatCompletions ? QStringLiteral("chat") : QStringLiteral("embeddings"),
               QString(), ApiError::badRequest(error, param));
        return;
    }
    const bool chat = endpoint == OpenAiEndpoint::ChatCompletions;
    const auto model = resolveModel(ex, core, *key, view->model, chat ? QStringLiteral("chat") : QStringLiteral("embeddings"));
    if (!model)
        return;
    const qint64 tokens = view->estimatedPromptTokens() + view->outputTokenLimit().value_or(0);
    Admission admission = core.gate().admit(ex->request(), *key, model->id, tokens, TimeFormat::nowMs());
    if (admission.error) {
        refuse(ex, core, *key, chat ? QStringLiteral("chat") : QStringLiteral("embeddings"), model->id, *admission.error,
               admission.headers);
        return;
    }
    RelayRequest request;
    request.family = ApiFamily::OpenAI;
    request.familyName = QStringLiteral("openai");
    request.endpoint = chat ? QStringLiteral("chat") : QStringLiteral("embeddings");
    request.upstreamPath = chat ? QStringLiteral("/chat/completions") : QStringLiteral("/embeddings");
    request.modelId = model->id;
    request.stream = chat && view->stream;
    request.includeUsageAsked = view->includeUsage;
    request.body = ex->request().body;
    request.key = key;
    request.estimatedPromptTokens = view->estimatedPromptTokens();
    request.maxTokens = view->outputTokenLimit();
    request.presentedKey = ApiKeyAuthenticator::presentedKey(ex->request());
    request.admission = std::move(admission);
    RelaySession::start(ex, std::move(request), core.relayServices());
}

std::shared_ptr<const PlanRecord> planOf(GatewayCore &core, const ApiKeyRecord &key)
{
    const auto user = core.users().find(key.userId);
    return user && !user->planId.isEmpty() ? core.plans().find(user->planId) : nullptr;
}

void listModels(const HttpExchangePtr &ex, GatewayCore &core)
{
    const bool anthropic = ex->request().hasHeader("anthropic-version");
    const auto key = authenticate(ex, core, anthropic ? QStringLiteral("anthropic") : QStringLiteral("openai"),
                                  anthropic ? ApiFamily::Anthropic : ApiFamily::OpenAI);
    if (!key)
        return;
    const auto models = ModelsListing::visibleModels(*core.catalog().current(), *key, planOf(core, *key).get());
    ex->respond(HttpResponse::json(200, anthropic ? ModelsListing::anthropicList(models) : ModelsListing::openAiList(models)));
}

void getModel(const HttpExchangePtr &ex, GatewayCore &core)
{
    const bool anthropic = ex->request().hasHeader("anthropic-version");
    const auto key = authenticate(ex, core, anthropic ? QStringLiteral("anthropic") : QStringLiteral("openai"),
                                  anthropic ? ApiFamily::Anthropic : ApiFamily::OpenAI);
    if (!key)
        return;
    const QString id = QString::fromUtf8(ex->param("id"));
    const auto model = core.catalog().current()->model(id);
    // A model outside the key's scope is as absent as one that does not exist.
    const auto plan = planOf(core, *key);
    if (!model || !model->enabled || !ApiKeyAuthenticator::allowsModel(*key, id) || (plan && !AccessGate::planAllows(*plan, id))) {
        ApiError e = ApiError::notFound(QStringLiteral("The model '%1' does not exist or you do not have access to it.").arg(id));
        e.code = QStringLiteral("model_not_found");
        ex->respond(e.toResponse(anthropic ? ApiFamily::Anthropic : ApiFamily::OpenAI));
        return;
    }
    ex->respond(HttpResponse::json(200, anthropic ? ModelsListing::anthropicModel(*model) : ModelsListing::openAiModel(*model)));
}

} // namespace

void OpenAiController::registerRoutes(HttpRouter &router, GatewayCore &core)
{
    for (const QByteArray &prefix : kPrefixes) {
        router.add("POST", prefix + "/chat/completions", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { relay(ex, core, OpenAiEndpoint::ChatCompletions); });
        router.add("POST", prefix + "/embeddings", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { relay(ex, core, OpenAiEndpoint::Embeddings); });
        router.add("GET", prefix + "/models", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { listModels(ex, core); });
        router.add("GET", prefix + "/models/{id}", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { getModel(ex, core); });
    }
}

} // namespace gw
