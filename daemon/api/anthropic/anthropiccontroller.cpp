#include "anthropiccontroller.h"

#include "api/chatpromptestimate.h"
#include "api/modelslisting.h"
#include "api/relayentry.h"
#include "app/gatewaycore.h"
#include "http/httpexchange.h"
#include "http/httprouter.h"
#include "translate/chatcodec.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

namespace {

const QList<QByteArray> kPrefixes = {"/v1", "/anthropic/v1"};

// The checks Anthropic's API makes before anything else, in its words; the
// codec then checks every field's type.
std::optional<ir::ChatRequest> decode(const QByteArray &body, bool countOnly, ApiError *error)
{
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parse);
    if (!doc.isObject()) {
        *error = ApiError::badRequest(doc.isNull() ? QStringLiteral("The request body is not valid JSON: %1").arg(parse.errorString())
                                                   : QStringLiteral("The request body must be a JSON object."));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    if (!o.value(QStringLiteral("model")).isString() || o.value(QStringLiteral("model")).toString().isEmpty()) {
        *error = ApiError::badRequest(QStringLiteral("model: Field required"), QStringLiteral("model"));
        return std::nullopt;
    }
    if (!o.value(QStringLiteral("messages")).isArray()) {
        *error = ApiError::badRequest(QStringLiteral("messages: Field required"), QStringLiteral("messages"));
        return std::nullopt;
    }
    if (!countOnly) {
        const QJsonValue max = o.value(QStringLiteral("max_tokens"));
        if (!max.isDouble() || max.toDouble() != double(qint64(max.toDouble())) || max.toDouble() < 1) {
            *error = ApiError::badRequest(max.isUndefined() ? QStringLiteral("max_tokens: Field required")
                                                            : QStringLiteral("max_tokens: must be a positive integer"),
                                          QStringLiteral("max_tokens"));
            return std::nullopt;
        }
    }
    ChatCodec::Error codecError;
    auto request = ChatCodec::forFamily(ApiFamily::Anthropic)->decodeRequest(body, &codecError);
    if (!request) {
        *error = ApiError::badRequest(codecError.message, codecError.param);
        return std::nullopt;
    }
    return request;
}

void messages(const HttpExchangePtr &ex, GatewayCore &core)
{
    RelayEntry entry(ex, core, ApiFamily::Anthropic);
    const auto key = entry.authenticate();
    if (!key)
        return;
    const QString endpoint = QStringLiteral("chat");
    ApiError error;
    auto chat = decode(ex->request().body, false, &error);
    if (!chat) {
        entry.refuse(*key, endpoint, QString(), error);
        return;
    }
    const auto model = entry.resolveModel(*key, chat->model, QStringLiteral("chat"), endpoint);
    if (!model)
        return;
    const qint64 prompt = ChatPromptEstimate::of(*chat).tokens();
    RelayRequest request;
    request.operation = RelayOperation::Chat;
    request.endpoint = endpoint;
    request.stream = chat->stream;
    request.body = ex->request().body;
    request.key = key;
    request.estimatedPromptTokens = prompt;
    request.maxTokens = chat->maxTokens;
    chat->model = model->id;
    request.chat = std::make_shared<const ir::ChatRequest>(std::move(*chat));
    const qint64 tokens = prompt + request.maxTokens.value_or(0);
    entry.admitAndRelay(std::move(request), *model, tokens);
}

void countTokens(const HttpExchangePtr &ex, GatewayCore &core)
{
    RelayEntry entry(ex, core, ApiFamily::Anthropic);
    const auto key = entry.authenticate();
    if (!key)
        return;
    ApiError error;
    const auto chat = decode(ex->request().body, true, &error);
    if (!chat) {
        entry.refuse(*key, QStringLiteral("count_tokens"), QString(), error);
        return;
    }
    if (!entry.resolveModel(*key, chat->model, QStringLiteral("chat"), QStringLiteral("count_tokens")))
        return;
    // The gateway's own generous estimate: the same one its holds and limits
    // use, so a prompt that counts as fitting is never refused for its size.
    const qint64 tokens = ChatPromptEstimate::of(*chat).tokens();
    ex->respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("input_tokens"), double(tokens)}}));
}

void listModels(const HttpExchangePtr &ex, GatewayCore &core)
{
    const auto key = RelayEntry(ex, core, ApiFamily::Anthropic).authenticate();
    if (!key)
        return;
    const auto models = ModelsListing::visibleModels(*core.catalog().current(), *key, RelayEntry::planOf(core, *key).get());
    ex->respond(HttpResponse::json(200, ModelsListing::anthropicList(models)));
}

void getModel(const HttpExchangePtr &ex, GatewayCore &core)
{
    const auto key = RelayEntry(ex, core, ApiFamily::Anthropic).authenticate();
    if (!key)
        return;
    const QString id = QString::fromUtf8(ex->param("id"));
    const auto model = ModelsListing::visibleModel(*core.catalog().current(), *key, RelayEntry::planOf(core, *key).get(), id);
    if (!model) {
        ApiError e = ApiError::notFound(QStringLiteral("model: %1").arg(id));
        ex->respond(e.toResponse(ApiFamily::Anthropic));
        return;
    }
    ex->respond(HttpResponse::json(200, ModelsListing::anthropicModel(*model)));
}

} // namespace

void AnthropicController::registerRoutes(HttpRouter &router, GatewayCore &core)
{
    for (const QByteArray &prefix : kPrefixes) {
        router.add("POST", prefix + "/messages", ApiFamily::Anthropic, PublicScope,
                   [&core](const HttpExchangePtr &ex) { messages(ex, core); });
        router.add("POST", prefix + "/messages/count_tokens", ApiFamily::Anthropic, PublicScope,
                   [&core](const HttpExchangePtr &ex) { countTokens(ex, core); });
    }
    // /v1/models belongs to the OpenAI routes, which answer Anthropic SDKs in
    // their shape; under /anthropic/v1 the list is always Anthropic's.
    router.add("GET", "/anthropic/v1/models", ApiFamily::Anthropic, PublicScope,
               [&core](const HttpExchangePtr &ex) { listModels(ex, core); });
    router.add("GET", "/anthropic/v1/models/{id}", ApiFamily::Anthropic, PublicScope,
               [&core](const HttpExchangePtr &ex) { getModel(ex, core); });
}

} // namespace gw
