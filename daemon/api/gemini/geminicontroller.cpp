#include "geminicontroller.h"

#include "api/chatpromptestimate.h"
#include "api/modelslisting.h"
#include "api/relayentry.h"
#include "app/gatewaycore.h"
#include "http/httpexchange.h"
#include "http/httprouter.h"
#include "translate/chatcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

namespace {

const QList<QByteArray> kPrefixes = {"/v1beta", "/gemini/v1beta"};

// The model segment of the path: "gpt-4o", or "models/gpt-4o" when a client
// doubled the prefix.
QString modelOf(const HttpExchangePtr &ex)
{
    QString model = QString::fromUtf8(ex->param("model"));
    if (model.startsWith(QLatin1String("models/")))
        model = model.mid(7);
    return model;
}

std::optional<QJsonObject> bodyObject(const QByteArray &body, ApiError *error)
{
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parse);
    if (!doc.isObject()) {
        *error = ApiError::badRequest(doc.isNull() ? QStringLiteral("Invalid JSON payload received. %1").arg(parse.errorString())
                                                   : QStringLiteral("Invalid JSON payload received. The body must be an object."));
        return std::nullopt;
    }
    return doc.object();
}

std::optional<ir::ChatRequest> decodeChat(const QByteArray &body, ApiError *error)
{
    const auto o = bodyObject(body, error);
    if (!o)
        return std::nullopt;
    if (!o->value(QStringLiteral("contents")).isArray() || o->value(QStringLiteral("contents")).toArray().isEmpty()) {
        *error = ApiError::badRequest(QStringLiteral("* GenerateContentRequest.contents: contents is not specified"),
                                      QStringLiteral("contents"));
        return std::nullopt;
    }
    ChatCodec::Error codecError;
    auto request = ChatCodec::forFamily(ApiFamily::Gemini)->decodeRequest(body, &codecError);
    if (!request) {
        *error = ApiError::badRequest(codecError.message, codecError.param);
        return std::nullopt;
    }
    return request;
}

void generate(const HttpExchangePtr &ex, GatewayCore &core, bool stream)
{
    RelayEntry entry(ex, core, ApiFamily::Gemini);
    const auto key = entry.authenticate();
    if (!key)
        return;
    const QString endpoint = QStringLiteral("chat");
    ApiError error;
    auto chat = decodeChat(ex->request().body, &error);
    if (!chat) {
        entry.refuse(*key, endpoint, modelOf(ex), error);
        return;
    }
    const auto model = entry.resolveModel(*key, modelOf(ex), QStringLiteral("chat"), endpoint);
    if (!model)
        return;
    chat->model = model->id;
    chat->stream = stream;
    const qint64 prompt = ChatPromptEstimate::of(*chat).tokens();
    RelayRequest request;
    request.operation = RelayOperation::Chat;
    request.endpoint = endpoint;
    request.stream = stream;
    request.sseFraming = ex->request().queryValue("alt") == "sse";
    request.body = ex->request().body;
    request.key = key;
    request.estimatedPromptTokens = prompt;
    request.maxTokens = chat->maxTokens;
    const qint64 tokens = prompt + chat->maxTokens.value_or(0);
    request.chat = std::make_shared<const ir::ChatRequest>(std::move(*chat));
    entry.admitAndRelay(std::move(request), *model, tokens);
}

void addContentText(TokenEstimator &estimate, const QJsonObject &content)
{
    estimate.addMessage();
    for (const QJsonValue &part : content.value(QStringLiteral("parts")).toArray())
        estimate.addText(part.toObject().value(QStringLiteral("text")).toString().toUtf8());
}

void embed(const HttpExchangePtr &ex, GatewayCore &core, bool batch)
{
    RelayEntry entry(ex, core, ApiFamily::Gemini);
    const auto key = entry.authenticate();
    if (!key)
        return;
    const QString endpoint = QStringLiteral("embeddings");
    ApiError error;
    const auto o = bodyObject(ex->request().body, &error);
    TokenEstimator estimate;
    if (o && batch) {
        const QJsonValue requests = o->value(QStringLiteral("requests"));
        if (!requests.isArray() || requests.toArray().isEmpty())
            error = ApiError::badRequest(QStringLiteral("* BatchEmbedContentsRequest.requests: requests is not specified"),
                                         QStringLiteral("requests"));
        for (const QJsonValue &r : requests.toArray())
            addContentText(estimate, r.toObject().value(QStringLiteral("content")).toObject());
    } else if (o) {
        if (!o->value(QStringLiteral("content")).isObject())
            error = ApiError::badRequest(QStringLiteral("* EmbedContentRequest.content: content is not specified"),
                                         QStringLiteral("content"));
        addContentText(estimate, o->value(QStringLiteral("content")).toObject());
    }
    if (!o || error.status == 400) {
        entry.refuse(*key, endpoint, modelOf(ex), error);
        return;
    }
    const auto model = entry.resolveModel(*key, modelOf(ex), QStringLiteral("embeddings"), endpoint);
    if (!model)
        return;
    RelayRequest request;
    request.operation = RelayOperation::Embeddings;
    request.batchEmbeddings = batch;
    request.endpoint = endpoint;
    request.body = ex->request().body;
    request.key = key;
    request.estimatedPromptTokens = estimate.tokens();
    entry.admitAndRelay(std::move(request), *model, estimate.tokens());
}

void countTokens(const HttpExchangePtr &ex, GatewayCore &core)
{
    RelayEntry entry(ex, core, ApiFamily::Gemini);
    const auto key = entry.authenticate();
    if (!key)
        return;
    ApiError error;
    const auto o = bodyObject(ex->request().body, &error);
    std::optional<ir::ChatRequest> chat;
    if (o) {
        // Either the contents alone or a whole generateContent request.
        const QJsonValue wrapped = o->value(QStringLiteral("generateContentRequest"));
        const QByteArray body = wrapped.isObject() ? QJsonDocument(wrapped.toObject()).toJson(QJsonDocument::Compact)
                                                   : ex->request().body;
        chat = decodeChat(body, &error);
    }
    if (!chat) {
        entry.refuse(*key, QStringLiteral("count_tokens"), modelOf(ex), error);
        return;
    }
    if (!entry.resolveModel(*key, modelOf(ex), QStringLiteral("chat"), QStringLiteral("count_tokens")))
        return;
    // The gateway's own generous estimate: the one its holds and limits use.
    const qint64 tokens = ChatPromptEstimate::of(*chat).tokens();
    ex->respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("totalTokens"), double(tokens)}}));
}

void listModels(const HttpExchangePtr &ex, GatewayCore &core)
{
    const auto key = RelayEntry(ex, core, ApiFamily::Gemini).authenticate();
    if (!key)
        return;
    const auto models = ModelsListing::visibleModels(*core.catalog().current(), *key, RelayEntry::planOf(core, *key).get());
    ex->respond(HttpResponse::json(200, ModelsListing::geminiList(models)));
}

void getModel(const HttpExchangePtr &ex, GatewayCore &core)
{
    const auto key = RelayEntry(ex, core, ApiFamily::Gemini).authenticate();
    if (!key)
        return;
    const QString id = modelOf(ex);
    const auto model = ModelsListing::visibleModel(*core.catalog().current(), *key, RelayEntry::planOf(core, *key).get(), id);
    if (!model) {
        ex->respond(ApiError::notFound(QStringLiteral("models/%1 is not found for API version v1beta, or is not supported.").arg(id))
                        .toResponse(ApiFamily::Gemini));
        return;
    }
    ex->respond(HttpResponse::json(200, ModelsListing::geminiModel(*model)));
}

} // namespace

void GeminiController::registerRoutes(HttpRouter &router, GatewayCore &core)
{
    for (const QByteArray &prefix : kPrefixes) {
        const QByteArray models = prefix + "/models";
        router.add("POST", models + "/{model}:generateContent", ApiFamily::Gemini, PublicScope,
                   [&core](const HttpExchangePtr &ex) { generate(ex, core, false); });
        router.add("POST", models + "/{model}:streamGenerateContent", ApiFamily::Gemini, PublicScope,
                   [&core](const HttpExchangePtr &ex) { generate(ex, core, true); });
        router.add("POST", models + "/{model}:countTokens", ApiFamily::Gemini, PublicScope,
                   [&core](const HttpExchangePtr &ex) { countTokens(ex, core); });
        router.add("POST", models + "/{model}:embedContent", ApiFamily::Gemini, PublicScope,
                   [&core](const HttpExchangePtr &ex) { embed(ex, core, false); });
        router.add("POST", models + "/{model}:batchEmbedContents", ApiFamily::Gemini, PublicScope,
                   [&core](const HttpExchangePtr &ex) { embed(ex, core, true); });
        router.add("GET", models, ApiFamily::Gemini, PublicScope, [&core](const HttpExchangePtr &ex) { listModels(ex, core); });
        router.add("GET", models + "/{model}", ApiFamily::Gemini, PublicScope,
                   [&core](const HttpExchangePtr &ex) { getModel(ex, core); });
    }
}

} // namespace gw
