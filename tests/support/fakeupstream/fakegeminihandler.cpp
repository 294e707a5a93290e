#include "fakegeminihandler.h"

#include "fakecontent.h"
#include "fakeopenaihandler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringBuilder>
#include <QUrlQuery>

namespace gw::test {

namespace {

const QLatin1String kModelsPath("/v1beta/models");
const QLatin1String kApiPrefix("/v1beta/");
const QLatin1String kService("generativelanguage.googleapis.com");

const QLatin1String kGenerate("generateContent");
const QLatin1String kStreamGenerate("streamGenerateContent");
const QLatin1String kCountTokens("countTokens");
const QLatin1String kEmbed("embedContent");
const QLatin1String kBatchEmbed("batchEmbedContents");

struct KnownModel
{
    const char *id;
    const char *displayName;
    int inputTokenLimit;
    int outputTokenLimit;
    bool embedding;
};

constexpr KnownModel kKnownModels[] = {
    {"gemini-2.5-pro", "Gemini 2.5 Pro", 1048576, 65536, false},
    {"gemini-2.5-flash", "Gemini 2.5 Flash", 1048576, 65536, false},
    {"gemini-2.0-flash", "Gemini 2.0 Flash", 1048576, 8192, false},
    {"text-embedding-004", "Text Embedding 004", 2048, 1, true},
};

struct Route
{
    QString model;
    QString method; // empty for GET models/{model}
};

// "/v1beta/models/{model}:{method}". The method follows the last ':' so that
// a "fake:..." model, colon and all, stays whole.
std::optional<Route> routeOf(const FakeRecordedRequest &request)
{
    if (!request.path.startsWith(kModelsPath + QLatin1Char('/')))
        return std::nullopt;
    const QString rest = request.path.mid(kModelsPath.size() + 1);
    Route route;
    if (request.method == "GET") {
        route.model = rest;
        return rest.isEmpty() ? std::nullopt : std::optional(route);
    }
    const qsizetype colon = rest.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::nullopt;
    route.model = rest.left(colon);
    route.method = rest.mid(colon + 1);
    return route;
}

QString apiKeyOf(const FakeRecordedRequest &request)
{
    const QString header = QString::fromUtf8(request.header("x-goog-api-key")).trimmed();
    if (!header.isEmpty())
        return header;
    return QUrlQuery(request.query).queryItemValue(QStringLiteral("key"), QUrl::FullyDecoded);
}

// A Content's words: {"parts": [{"text": ...}, ...]}. A bare string is
// accepted for systemInstruction, which some clients send.
QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    return FakeContent::text(content.toObject().value(QLatin1String("parts")));
}

struct FunctionCall
{
    QString name;
    QJsonObject args;
};

// nullopt unless the request declares functions and either mode ANY forces
// one (the first allowed name, else the first declaration) or, in AUTO,
// the user asks for one ("call tool").
std::optional<FunctionCall> functionCallFor(const QJsonObject &request, const QString &lastUserText)
{
    QList<QJsonObject> declarations;
    const QJsonArray tools = request.value(QLatin1String("tools")).toArray();
    for (const QJsonValue &tool : tools) {
        const QJsonArray functions = tool.toObject().value(QLatin1String("functionDeclarations")).toArray();
        for (const QJsonValue &function : functions)
            declarations.append(function.toObject());
    }
    if (declarations.isEmpty())
        return std::nullopt;
    const QJsonObject config = request.value(QLatin1String("toolConfig")).toObject()
                                   .value(QLatin1String("functionCallingConfig")).toObject();
    const QString mode = config.value(QLatin1String("mode")).toString(QStringLiteral("AUTO")).toUpper();
    if (mode == QLatin1String("NONE"))
        return std::nullopt;
    QString name;
    if (mode == QLatin1String("ANY")) {
        const QJsonArray allowed = config.value(QLatin1String("allowedFunctionNames")).toArray();
        name = allowed.isEmpty() ? declarations.first().value(QLatin1String("name")).toString()
                                 : allowed.first().toString();
    } else if (lastUserText.contains(QLatin1String("call tool"), Qt::CaseInsensitive)) {
        name = declarations.first().value(QLatin1String("name")).toString();
    } else {
        return std::nullopt;
    }
    QJsonObject declaration = declarations.first();
    for (const QJsonObject &candidate : std::as_const(declarations)) {
        if (candidate.value(QLatin1String("name")).toString() == name)
            declaration = candidate;
    }
    // parametersJsonSchema is the newer spelling of the same schema.
    QJsonObject schema = declaration.value(QLatin1String("parameters")).toObject();
    if (schema.isEmpty())
        schema = declaration.value(QLatin1String("parametersJsonSchema")).toObject();
    return FunctionCall{name, FakeContent::placeholderArguments(schema)};
}

std::optional<int> dimensionsOf(const QJsonObject &request)
{
    const QJsonValue value = request.value(QLatin1String("outputDimensionality"));
    if (value.isUndefined() || value.isNull())
        return FakeOpenAiHandler::kDefaultEmbeddingDimensions;
    const int dimensions = value.toInt(0);
    if (dimensions < 1 || dimensions > 4096)
        return std::nullopt;
    return dimensions;
}

QJsonObject embeddingObject(const QString &text, int dimensions)
{
    QJsonArray values;
    const QList<float> vector = FakeOpenAiHandler::embeddingFor(text, dimensions);
    for (float value : vector)
        values.append(double(value));
    return QJsonObject{{QStringLiteral("values"), values}};
}

} // namespace

bool FakeGeminiHandler::handles(const FakeRecordedRequest &request) const
{
    if (request.method == "GET")
        return request.path == kModelsPath || routeOf(request).has_value();
    if (request.method != "POST")
        return false;
    const std::optional<Route> route = routeOf(request);
    if (!route)
        return false;
    return route->method == kGenerate || route->method == kStreamGenerate || route->method == kCountTokens
        || route->method == kEmbed || route->method == kBatchEmbed;
}

bool FakeGeminiHandler::recognizes(const FakeRecordedRequest &request) const
{
    return request.path.startsWith(kApiPrefix) || request.path == QLatin1String("/v1beta")
        || !request.header("x-goog-api-key").isEmpty();
}

QString FakeGeminiHandler::requestedModel(const FakeRecordedRequest &request) const
{
    // Only calls name a model; reading models/{id} neither scripts the
    // answer nor adds the id to the list, as GET /v1/models/{id} does not.
    if (request.method != "POST")
        return {};
    const std::optional<Route> route = routeOf(request);
    return route ? route->model : QString();
}

std::optional<FakeReply> FakeGeminiHandler::checkAuth(const FakeRecordedRequest &request, const QString &requiredKey) const
{
    // What the real API answers: no key is a 403, a wrong key a 400.
    const QString key = apiKeyOf(request);
    if (key.isEmpty()) {
        return errorReply(403,
                          QStringLiteral("Method doesn't allow unregistered callers (callers without established "
                                         "identity). Please use API Key or other form of API consumer identity to "
                                         "call this API."),
                          QString(), QString());
    }
    if (!requiredKey.isEmpty() && key != requiredKey) {
        QJsonObject root = errorObject(400, QStringLiteral("API key not valid. Please pass a valid API key."), QString(),
                                       QStringLiteral("API_KEY_INVALID"));
        return FakeReply::json(400, root);
    }
    return std::nullopt;
}

QString FakeGeminiHandler::statusName(int httpStatus)
{
    switch (httpStatus) {
    case 400: return QStringLiteral("INVALID_ARGUMENT");
    case 401: return QStringLiteral("UNAUTHENTICATED");
    case 403: return QStringLiteral("PERMISSION_DENIED");
    case 404: return QStringLiteral("NOT_FOUND");
    case 409: return QStringLiteral("ABORTED");
    case 429: return QStringLiteral("RESOURCE_EXHAUSTED");
    case 499: return QStringLiteral("CANCELLED");
    case 500: return QStringLiteral("INTERNAL");
    case 501: return QStringLiteral("UNIMPLEMENTED");
    case 503: return QStringLiteral("UNAVAILABLE");
    case 504: return QStringLiteral("DEADLINE_EXCEEDED");
    default: break;
    }
    return httpStatus >= 500 ? QStringLiteral("INTERNAL") : QStringLiteral("FAILED_PRECONDITION");
}

QJsonObject FakeGeminiHandler::errorObject(int status, const QString &message, const QString &type,
                                           const QString &code) const
{
    QJsonObject error;
    error.insert(QStringLiteral("code"), status);
    error.insert(QStringLiteral("message"),
                 message.isEmpty() ? QStringLiteral("fake-upstream: injected HTTP ") + QString::number(status) : message);
    error.insert(QStringLiteral("status"), type.isEmpty() ? statusName(status) : type);
    // A code becomes the ErrorInfo reason, where Google puts machine-readable causes.
    if (!code.isEmpty()) {
        QJsonObject info;
        info.insert(QStringLiteral("@type"), QStringLiteral("type.googleapis.com/google.rpc.ErrorInfo"));
        info.insert(QStringLiteral("reason"), code);
        info.insert(QStringLiteral("domain"), QStringLiteral("googleapis.com"));
        info.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("service"), kService}});
        error.insert(QStringLiteral("details"), QJsonArray{info});
    }
    return QJsonObject{{QStringLiteral("error"), error}};
}

FakeReply FakeGeminiHandler::errorReply(int status, const QString &message, const QString &type, const QString &code) const
{
    return FakeReply::json(status, errorObject(status, message, type, code));
}

FakeReply FakeGeminiHandler::behaviorError(const FakeBehavior &behavior) const
{
    QJsonObject root = errorObject(behavior.status, behavior.errorMessage, behavior.errorType, behavior.errorCode);
    // Gemini tells a client when to retry in the body, not in Retry-After.
    bool seconds = false;
    behavior.retryAfter.toDouble(&seconds);
    if (behavior.status == 429 && seconds) {
        QJsonObject error = root.value(QLatin1String("error")).toObject();
        QJsonArray details = error.value(QLatin1String("details")).toArray();
        QJsonObject retry;
        retry.insert(QStringLiteral("@type"), QStringLiteral("type.googleapis.com/google.rpc.RetryInfo"));
        retry.insert(QStringLiteral("retryDelay"), QString(behavior.retryAfter + QLatin1Char('s')));
        details.append(retry);
        error.insert(QStringLiteral("details"), details);
        root.insert(QStringLiteral("error"), error);
    }
    return FakeReply::json(behavior.status, root);
}

FakeReply FakeGeminiHandler::invalidArgument(const QString &message) const
{
    return errorReply(400, message, QString(), QString());
}

FakeReply FakeGeminiHandler::reply(const FakeRecordedRequest &request, const FakeBehavior &behavior,
                                   const FakeReplyContext &context)
{
    if (request.method == "GET") {
        if (request.path == kModelsPath)
            return models(context);
        return FakeReply::json(200, model(routeOf(request)->model));
    }
    const Route route = *routeOf(request);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return invalidArgument(QStringLiteral("Invalid JSON payload received. ")
                               + (parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                               : QStringLiteral("Expected an object.")));
    }
    const QJsonObject body = document.object();
    if (route.method == kCountTokens)
        return countTokens(body);
    if (route.method == kEmbed)
        return embedContent(body);
    if (route.method == kBatchEmbed)
        return batchEmbedContents(body);
    const bool stream = route.method == kStreamGenerate;
    const bool sse = QUrlQuery(request.query).queryItemValue(QStringLiteral("alt")) == QLatin1String("sse");
    return generate(body, route.model, stream, sse, behavior, context);
}

int FakeGeminiHandler::promptTokens(const QJsonObject &request)
{
    int tokens = 0;
    const QJsonValue system = request.value(QLatin1String("systemInstruction"));
    if (!system.isUndefined() && !system.isNull())
        tokens += FakeContent::countWords(contentText(system)) + 3;
    const QJsonArray contents = request.value(QLatin1String("contents")).toArray();
    for (const QJsonValue &content : contents)
        tokens += FakeContent::countWords(contentText(content)) + 3;
    return tokens;
}

FakeReply FakeGeminiHandler::generate(const QJsonObject &request, const QString &model, bool stream, bool sse,
                                      const FakeBehavior &behavior, const FakeReplyContext &context) const
{
    const QJsonArray contents = request.value(QLatin1String("contents")).toArray();
    if (contents.isEmpty())
        return invalidArgument(QStringLiteral("* GenerateContentRequest.contents: contents is not specified\n"));

    QString lastUserText;
    for (const QJsonValue &content : contents) {
        // A single-turn request may leave the role out; it is the user's.
        const QString role = content.toObject().value(QLatin1String("role")).toString(QStringLiteral("user"));
        if (role == QLatin1String("user"))
            lastUserText = contentText(content);
    }
    const int prompt = promptTokens(request);

    const QJsonObject config = request.value(QLatin1String("generationConfig")).toObject();
    const int maxOutputTokens = config.value(QLatin1String("maxOutputTokens")).toInt(0);
    const int candidateCount = qBound(1, config.value(QLatin1String("candidateCount")).toInt(1), 8);
    QStringList stopSequences;
    const QJsonArray stops = config.value(QLatin1String("stopSequences")).toArray();
    for (const QJsonValue &stop : stops)
        stopSequences.append(stop.toString());

    const std::optional<FunctionCall> call = functionCallFor(request, lastUserText);
    FakeContent::Cut answer;
    int perCandidate = 0;
    QJsonObject callPart;
    if (call) {
        const QString args = QString::fromUtf8(QJsonDocument(call->args).toJson(QJsonDocument::Compact));
        perCandidate = FakeContent::countWords(args) + 1;
        callPart.insert(QStringLiteral("functionCall"),
                        QJsonObject{{QStringLiteral("name"), call->name}, {QStringLiteral("args"), call->args}});
    } else {
        answer = FakeContent::cut(
            FakeContent::words(behavior.text.isEmpty() ? QStringLiteral("Echo: ") + lastUserText : behavior.text),
            maxOutputTokens, stopSequences);
        perCandidate = int(answer.words.size());
    }
    // A stop sequence ends the answer with STOP, as Gemini reports it.
    const QString finishReason = answer.stop == FakeContent::Stop::MaxTokens ? QStringLiteral("MAX_TOKENS")
                                                                             : QStringLiteral("STOP");

    auto usage = [&](int candidates) {
        QJsonObject object;
        object.insert(QStringLiteral("promptTokenCount"), prompt);
        object.insert(QStringLiteral("candidatesTokenCount"), candidates);
        object.insert(QStringLiteral("totalTokenCount"), prompt + candidates + behavior.thoughtsTokens);
        object.insert(QStringLiteral("promptTokensDetails"),
                      QJsonArray{QJsonObject{{QStringLiteral("modality"), QStringLiteral("TEXT")},
                                             {QStringLiteral("tokenCount"), prompt}}});
        if (behavior.thoughtsTokens > 0)
            object.insert(QStringLiteral("thoughtsTokenCount"), behavior.thoughtsTokens);
        if (behavior.cacheReadTokens > 0)
            object.insert(QStringLiteral("cachedContentTokenCount"), behavior.cacheReadTokens);
        return object;
    };
    // One GenerateContentResponse: every candidate gets the same part.
    auto response = [&](const QJsonObject &part, bool last, int candidatesSoFar) {
        QJsonArray candidates;
        for (int i = 0; i < candidateCount; ++i) {
            QJsonObject candidate;
            candidate.insert(QStringLiteral("content"), QJsonObject{{QStringLiteral("parts"), QJsonArray{part}},
                                                                    {QStringLiteral("role"), QStringLiteral("model")}});
            if (last)
                candidate.insert(QStringLiteral("finishReason"), finishReason);
            candidate.insert(QStringLiteral("index"), i);
            candidates.append(candidate);
        }
        QJsonObject root;
        root.insert(QStringLiteral("candidates"), candidates);
        if (!behavior.omitUsage)
            root.insert(QStringLiteral("usageMetadata"), usage(candidatesSoFar * candidateCount));
        root.insert(QStringLiteral("modelVersion"), model);
        root.insert(QStringLiteral("responseId"), QString(QStringLiteral("fake-resp-") + QString::number(context.sequence)));
        return root;
    };
    auto textPart = [](const QString &text) { return QJsonObject{{QStringLiteral("text"), text}}; };

    if (!stream)
        return FakeReply::json(200, response(call ? callPart : textPart(answer.words.join(QLatin1Char(' '))), true,
                                             perCandidate));

    // A function call arrives whole; text one word per chunk, each chunk with
    // the usage so far and the last with finishReason.
    QList<QJsonObject> chunks;
    if (call || answer.words.isEmpty()) {
        chunks.append(response(call ? callPart : textPart(QString()), true, perCandidate));
    } else {
        for (qsizetype i = 0; i < answer.words.size(); ++i) {
            const QString piece = i == 0 ? answer.words.at(i) : QLatin1Char(' ') + answer.words.at(i);
            chunks.append(response(textPart(piece), i + 1 == answer.words.size(), int(i + 1)));
        }
    }

    QList<QByteArray> events;
    if (sse) {
        // Gemini ends its SSE events with CRLF pairs.
        for (const QJsonObject &chunk : std::as_const(chunks))
            events.append(QByteArrayLiteral("data: ") % QJsonDocument(chunk).toJson(QJsonDocument::Compact)
                          % QByteArrayLiteral("\r\n\r\n"));
        return FakeReply::eventStream(std::move(events));
    }
    // Without alt=sse the body is one JSON array, written element by element
    // so that cuts and pauses fall between elements.
    for (qsizetype i = 0; i < chunks.size(); ++i)
        events.append((i == 0 ? QByteArrayLiteral("[") : QByteArrayLiteral("\n,"))
                      % QJsonDocument(chunks.at(i)).toJson(QJsonDocument::Compact));
    events.append(QByteArrayLiteral("\n]"));
    FakeReply reply = FakeReply::eventStream(std::move(events));
    setFakeHeader(reply.headers, QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json; charset=UTF-8"));
    return reply;
}

FakeReply FakeGeminiHandler::countTokens(const QJsonObject &request) const
{
    // Either bare contents or a whole generateContentRequest (which may add a
    // systemInstruction), as the API accepts.
    QJsonObject counted = request;
    if (!request.contains(QLatin1String("contents")))
        counted = request.value(QLatin1String("generateContentRequest")).toObject();
    if (counted.value(QLatin1String("contents")).toArray().isEmpty())
        return invalidArgument(QStringLiteral("* CountTokensRequest.contents: contents is not specified\n"));
    const int total = promptTokens(counted);
    QJsonObject root;
    root.insert(QStringLiteral("totalTokens"), total);
    root.insert(QStringLiteral("promptTokensDetails"),
                QJsonArray{QJsonObject{{QStringLiteral("modality"), QStringLiteral("TEXT")},
                                       {QStringLiteral("tokenCount"), total}}});
    return FakeReply::json(200, root);
}

FakeReply FakeGeminiHandler::embedContent(const QJsonObject &request) const
{
    if (!request.value(QLatin1String("content")).isObject())
        return invalidArgument(QStringLiteral("* EmbedContentRequest.content: content is not specified\n"));
    const std::optional<int> dimensions = dimensionsOf(request);
    if (!dimensions)
        return invalidArgument(QStringLiteral("outputDimensionality must be between 1 and 4096"));
    QJsonObject root;
    root.insert(QStringLiteral("embedding"),
                embeddingObject(contentText(request.value(QLatin1String("content"))), *dimensions));
    return FakeReply::json(200, root);
}

FakeReply FakeGeminiHandler::batchEmbedContents(const QJsonObject &request) const
{
    const QJsonArray requests = request.value(QLatin1String("requests")).toArray();
    if (requests.isEmpty())
        return invalidArgument(QStringLiteral("* BatchEmbedContentsRequest.requests: requests is not specified\n"));
    QJsonArray embeddings;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const QJsonObject one = requests.at(i).toObject();
        const QString field = QStringLiteral("* BatchEmbedContentsRequest.requests[") + QString::number(i) + QLatin1Char(']');
        if (!one.value(QLatin1String("content")).isObject())
            return invalidArgument(field + QStringLiteral(".content: content is not specified\n"));
        const std::optional<int> dimensions = dimensionsOf(one);
        if (!dimensions)
            return invalidArgument(field + QStringLiteral(".outputDimensionality must be between 1 and 4096\n"));
        embeddings.append(embeddingObject(contentText(one.value(QLatin1String("content"))), *dimensions));
    }
    QJsonObject root;
    root.insert(QStringLiteral("embeddings"), embeddings);
    return FakeReply::json(200, root);
}

QJsonObject FakeGeminiHandler::model(const QString &id) const
{
    QString displayName = id;
    int inputLimit = 1048576;
    int outputLimit = 8192;
    bool embedding = id.contains(QLatin1String("embedding"));
    for (const KnownModel &known : kKnownModels) {
        if (id == QLatin1String(known.id)) {
            displayName = QLatin1String(known.displayName);
            inputLimit = known.inputTokenLimit;
            outputLimit = known.outputTokenLimit;
            embedding = known.embedding;
        }
    }
    // The lists the real API gives; streaming is implied by generateContent.
    const QJsonArray methods = embedding
        ? QJsonArray{QString(kEmbed), QStringLiteral("countTextTokens"), QString(kCountTokens)}
        : QJsonArray{QString(kGenerate), QString(kCountTokens), QStringLiteral("createCachedContent"),
                     QStringLiteral("batchGenerateContent")};
    QJsonObject object;
    object.insert(QStringLiteral("name"), QString(QStringLiteral("models/") + id));
    object.insert(QStringLiteral("version"), QStringLiteral("001"));
    object.insert(QStringLiteral("displayName"), displayName);
    object.insert(QStringLiteral("description"), QString(QStringLiteral("fake-upstream model ") + id));
    object.insert(QStringLiteral("inputTokenLimit"), inputLimit);
    object.insert(QStringLiteral("outputTokenLimit"), embedding ? 1 : outputLimit);
    object.insert(QStringLiteral("supportedGenerationMethods"), methods);
    return object;
}

FakeReply FakeGeminiHandler::models(const FakeReplyContext &context) const
{
    QStringList ids;
    for (const KnownModel &known : kKnownModels)
        ids.append(QLatin1String(known.id));
    for (const QString &seen : context.seenModels) {
        if (!ids.contains(seen))
            ids.append(seen);
    }
    QJsonArray list;
    for (const QString &id : std::as_const(ids))
        list.append(model(id));
    QJsonObject root;
    root.insert(QStringLiteral("models"), list);
    return FakeReply::json(200, root);
}

} // namespace gw::test
