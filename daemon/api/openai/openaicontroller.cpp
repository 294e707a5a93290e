#include "openaicontroller.h"

#include "access/accessgate.h"
#include "access/apikeyauthenticator.h"
#include "api/modelslisting.h"
#include "api/relayentry.h"
#include "app/gatewaycore.h"
#include "http/httpexchange.h"
#include "http/httprouter.h"
#include "openairequestinspector.h"

namespace gw {

namespace {

const QList<QByteArray> kPrefixes = {"/v1", "/openai/v1", "/api/v1"};

struct EndpointTraits
{
    QString name;      // the usage log's endpoint
    QString modelType; // the catalog type a model must have
    RelayOperation operation;
};

EndpointTraits traitsOf(OpenAiEndpoint endpoint)
{
    switch (endpoint) {
    case OpenAiEndpoint::ChatCompletions: return {QStringLiteral("chat"), QStringLiteral("chat"), RelayOperation::Chat};
    case OpenAiEndpoint::Embeddings:
        return {QStringLiteral("embeddings"), QStringLiteral("embeddings"), RelayOperation::Embeddings};
    case OpenAiEndpoint::Images: return {QStringLiteral("images"), QStringLiteral("image"), RelayOperation::Images};
    case OpenAiEndpoint::Speech: return {QStringLiteral("speech"), QStringLiteral("tts"), RelayOperation::Speech};
    case OpenAiEndpoint::Other: break;
    }
    return {QStringLiteral("other"), QString(), RelayOperation::Chat};
}

void relay(const HttpExchangePtr &ex, GatewayCore &core, OpenAiEndpoint endpoint)
{
    RelayEntry entry(ex, core, ApiFamily::OpenAI);
    const auto key = entry.authenticate();
    if (!key)
        return;
    const EndpointTraits traits = traitsOf(endpoint);
    QString error;
    QString param;
    const auto view = OpenAiRequestInspector::inspect(ex->request().body, endpoint, &error, &param);
    if (!view) {
        entry.refuse(*key, traits.name, QString(), ApiError::badRequest(error, param));
        return;
    }
    const auto model = entry.resolveModel(*key, view->model, traits.modelType, traits.name);
    if (!model)
        return;
    const bool chat = endpoint == OpenAiEndpoint::ChatCompletions;
    RelayRequest request;
    request.operation = traits.operation;
    request.endpoint = traits.name;
    request.stream = chat && view->stream;
    request.includeUsageAsked = view->includeUsage;
    request.body = ex->request().body;
    request.key = key;
    request.estimatedPromptTokens = view->estimatedPromptTokens();
    request.maxTokens = view->outputTokenLimit();
    request.images = endpoint == OpenAiEndpoint::Images ? view->n.value_or(1) : 0;
    request.textChars = view->textChars;
    const qint64 limitTokens = view->estimatedPromptTokens() + (chat ? view->outputTokenLimit().value_or(0) : 0);
    entry.admitAndRelay(std::move(request), *model, limitTokens);
}

// GET /v1/models serves the Anthropic SDKs too: they send anthropic-version.
ApiFamily listingFamily(const HttpExchangePtr &ex)
{
    return ex->request().hasHeader("anthropic-version") ? ApiFamily::Anthropic : ApiFamily::OpenAI;
}

void listModels(const HttpExchangePtr &ex, GatewayCore &core)
{
    const ApiFamily family = listingFamily(ex);
    const auto key = RelayEntry(ex, core, family).authenticate();
    if (!key)
        return;
    const auto models = ModelsListing::visibleModels(*core.catalog().current(), *key, RelayEntry::planOf(core, *key).get());
    ex->respond(HttpResponse::json(200, family == ApiFamily::Anthropic ? ModelsListing::anthropicList(models)
                                                                       : ModelsListing::openAiList(models)));
}

void getModel(const HttpExchangePtr &ex, GatewayCore &core)
{
    const ApiFamily family = listingFamily(ex);
    const auto key = RelayEntry(ex, core, family).authenticate();
    if (!key)
        return;
    const QString id = QString::fromUtf8(ex->param("id"));
    const auto model = ModelsListing::visibleModel(*core.catalog().current(), *key, RelayEntry::planOf(core, *key).get(), id);
    if (!model) {
        ApiError e = ApiError::notFound(QStringLiteral("The model '%1' does not exist or you do not have access to it.").arg(id));
        e.code = QStringLiteral("model_not_found");
        ex->respond(e.toResponse(family));
        return;
    }
    ex->respond(HttpResponse::json(200, family == ApiFamily::Anthropic ? ModelsListing::anthropicModel(*model)
                                                                       : ModelsListing::openAiModel(*model)));
}

} // namespace

void OpenAiController::registerRoutes(HttpRouter &router, GatewayCore &core)
{
    for (const QByteArray &prefix : kPrefixes) {
        router.add("POST", prefix + "/chat/completions", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { relay(ex, core, OpenAiEndpoint::ChatCompletions); });
        router.add("POST", prefix + "/embeddings", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { relay(ex, core, OpenAiEndpoint::Embeddings); });
        router.add("POST", prefix + "/images/generations", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { relay(ex, core, OpenAiEndpoint::Images); });
        router.add("POST", prefix + "/audio/speech", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { relay(ex, core, OpenAiEndpoint::Speech); });
        router.add("GET", prefix + "/models", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { listModels(ex, core); });
        router.add("GET", prefix + "/models/{id}", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { getModel(ex, core); });
    }
}

} // namespace gw
