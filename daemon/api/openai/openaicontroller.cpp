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

void relay(const HttpExchangePtr &ex, GatewayCore &core, OpenAiEndpoint endpoint)
{
    RelayEntry entry(ex, core, ApiFamily::OpenAI);
    const auto key = entry.authenticate();
    if (!key)
        return;
    const bool chat = endpoint == OpenAiEndpoint::ChatCompletions;
    const QString endpointName = chat ? QStringLiteral("chat") : QStringLiteral("embeddings");
    QString error;
    QString param;
    const auto view = OpenAiRequestInspector::inspect(ex->request().body, endpoint, &error, &param);
    if (!view) {
        entry.refuse(*key, endpointName, QString(), ApiError::badRequest(error, param));
        return;
    }
    const auto model = entry.resolveModel(*key, view->model, endpointName, endpointName);
    if (!model)
        return;
    RelayRequest request;
    request.operation = chat ? RelayOperation::Chat : RelayOperation::Embeddings;
    request.endpoint = endpointName;
    request.stream = chat && view->stream;
    request.includeUsageAsked = view->includeUsage;
    request.body = ex->request().body;
    request.key = key;
    request.estimatedPromptTokens = view->estimatedPromptTokens();
    request.maxTokens = view->outputTokenLimit();
    entry.admitAndRelay(std::move(request), *model, view->estimatedPromptTokens() + view->outputTokenLimit().value_or(0));
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
        router.add("GET", prefix + "/models", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { listModels(ex, core); });
        router.add("GET", prefix + "/models/{id}", ApiFamily::OpenAI, PublicScope,
                   [&core](const HttpExchangePtr &ex) { getModel(ex, core); });
    }
}

} // namespace gw
