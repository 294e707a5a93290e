#include "fakeopenaihandler.h"

#include "fakecontent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QtEndian>

#include <bit>
#include <cmath>

namespace gw::test {

namespace {

const QLatin1String kChatPath("/v1/chat/completions");
const QLatin1String kEmbeddingsPath("/v1/embeddings");
const QLatin1String kImagesPath("/v1/images/generations");
const QLatin1String kSpeechPath("/v1/audio/speech");
const QLatin1String kModelsPath("/v1/models");

QJsonObject usageObject(int prompt, int completion, const FakeBehavior &behavior)
{
    // Reasoning is part of completion_tokens and cached tokens part of
    // prompt_tokens, as OpenAI counts them; the details only appear when
    // scripted, so plain answers stay as they always were.
    QJsonObject usage;
    usage.insert(QStringLiteral("prompt_tokens"), prompt);
    usage.insert(QStringLiteral("completion_tokens"), completion + behavior.thoughtsTokens);
    usage.insert(QStringLiteral("total_tokens"), prompt + completion + behavior.thoughtsTokens);
    if (behavior.cacheReadTokens > 0)
        usage.insert(QStringLiteral("prompt_tokens_details"),
                     QJsonObject{{QStringLiteral("cached_tokens"), behavior.cacheReadTokens}});
    if (behavior.thoughtsTokens > 0)
        usage.insert(QStringLiteral("completion_tokens_details"),
                     QJsonObject{{QStringLiteral("reasoning_tokens"), behavior.thoughtsTokens}});
    return usage;
}

struct ToolCall
{
    QString id;
    QString name;
    QString arguments;
};

// nullopt unless the request has tools and either forces one (an object
// tool_choice or "required") or the user asks for one ("call tool").
std::optional<ToolCall> toolCallFor(const QJsonObject &request, const QString &lastUserText, int sequence)
{
    const QJsonArray tools = request.value(QLatin1String("tools")).toArray();
    if (tools.isEmpty())
        return std::nullopt;
    const QJsonValue choice = request.value(QLatin1String("tool_choice"));
    if (choice.toString() == QLatin1String("none"))
        return std::nullopt;
    QString forced = choice.toObject().value(QLatin1String("function")).toObject().value(QLatin1String("name")).toString();
    const bool wanted = !forced.isEmpty() || choice.toString() == QLatin1String("required")
        || lastUserText.contains(QLatin1String("call tool"), Qt::CaseInsensitive);
    if (!wanted)
        return std::nullopt;
    QJsonObject function = tools.first().toObject().value(QLatin1String("function")).toObject();
    for (const QJsonValue &tool : tools) {
        const QJsonObject candidate = tool.toObject().value(QLatin1String("function")).toObject();
        if (!forced.isEmpty() && candidate.value(QLatin1String("name")).toString() == forced)
            function = candidate;
    }
    ToolCall call;
    call.id = QStringLiteral("call_fake_") + QString::number(sequence);
    call.name = forced.isEmpty() ? function.value(QLatin1String("name")).toString() : forced;
    call.arguments = QString::fromUtf8(QJsonDocument(FakeContent::placeholderArguments(
                                           function.value(QLatin1String("parameters")).toObject()))
                                           .toJson(QJsonDocument::Compact));
    return call;
}

quint64 fnv1a(const QByteArray &bytes)
{
    quint64 hash = 14695981039346656037ULL;
    for (char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

quint64 splitmix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

} // namespace

bool FakeOpenAiHandler::handles(const FakeRecordedRequest &request) const
{
    if (request.method == "POST")
        return request.path == kChatPath || request.path == kEmbeddingsPath || request.path == kImagesPath
               || request.path == kSpeechPath;
    if (request.method == "GET")
        return request.path == kModelsPath || request.path.startsWith(kModelsPath + QLatin1Char('/'));
    return false;
}

std::optional<FakeReply> FakeOpenAiHandler::checkAuth(const FakeRecordedRequest &request, const QString &requiredKey) const
{
    const QByteArray authorization = request.header("authorization");
    if (!authorization.startsWith("Bearer ") || authorization.size() <= 7) {
        return errorReply(401,
                          QStringLiteral("You didn't provide an API key. You need to provide your API key in an "
                                         "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."),
                          QStringLiteral("invalid_request_error"), QString());
    }
    const QString key = QString::fromUtf8(authorization.mid(7)).trimmed();
    if (!requiredKey.isEmpty() && key != requiredKey) {
        return errorReply(401, QStringLiteral("Incorrect API key provided: ") + key.left(6) + QStringLiteral("****."),
                          QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key"));
    }
    return std::nullopt;
}

FakeReply FakeOpenAiHandler::errorReply(int status, const QString &message, const QString &type, const QString &code) const
{
    QString defaultType = QStringLiteral("invalid_request_error");
    QString defaultCode;
    if (status == 401)
        defaultCode = QStringLiteral("invalid_api_key");
    else if (status == 403)
        defaultType = QStringLiteral("permission_error");
    else if (status == 404)
        defaultCode = QStringLiteral("not_found");
    else if (status == 429) {
        defaultType = QStringLiteral("requests");
        defaultCode = QStringLiteral("rate_limit_exceeded");
    } else if (status >= 500)
        defaultType = QStringLiteral("server_error");

    QJsonObject error;
    error.insert(QStringLiteral("message"),
                 message.isEmpty() ? QStringLiteral("fake-upstream: injected HTTP ") + QString::number(status) : message);
    error.insert(QStringLiteral("type"), type.isEmpty() ? defaultType : type);
    error.insert(QStringLiteral("param"), QJsonValue::Null);
    const QString finalCode = code.isEmpty() ? defaultCode : code;
    error.insert(QStringLiteral("code"), finalCode.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(finalCode));
    QJsonObject root;
    root.insert(QStringLiteral("error"), error);
    return FakeReply::json(status, root);
}

FakeReply FakeOpenAiHandler::invalidJson() const
{
    return errorReply(400,
                      QStringLiteral("We could not parse the JSON body of your request. (HINT: This likely means you "
                                     "aren't using your HTTP library correctly.)"),
                      QString(), QString());
}

FakeReply FakeOpenAiHandler::reply(const FakeRecordedRequest &request, const FakeBehavior &behavior,
                                   const FakeReplyContext &context)
{
    if (request.method == "GET") {
        if (request.path == kModelsPath)
            return models(context);
        return model(request.path.mid(kModelsPath.size() + 1));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return invalidJson();
    if (request.path == kChatPath)
        return chatCompletion(document.object(), behavior, context);
    if (request.path == kImagesPath)
        return images(document.object());
    if (request.path == kSpeechPath)
        return speech(document.object());
    return embeddings(document.object(), context);
}

FakeReply FakeOpenAiHandler::images(const QJsonObject &request) const
{
    const QString model = request.value(QLatin1String("model")).toString();
    const QString prompt = request.value(QLatin1String("prompt")).toString();
    if (model.isEmpty() || prompt.isEmpty())
        return errorReply(400, QStringLiteral("model and prompt are required"), QString(), QString());
    const int n = request.contains(QLatin1String("n")) ? request.value(QLatin1String("n")).toInt() : 1;
    if (n < 1 || n > 10)
        return errorReply(400, QStringLiteral("n must be between 1 and 10"), QString(), QStringLiteral("invalid_value"));
    // One tiny PNG signature per image, numbered: deterministic and small.
    const bool url = request.value(QLatin1String("response_format")).toString() == QLatin1String("url");
    QJsonArray data;
    for (int i = 0; i < n; ++i) {
        if (url)
            data.append(QJsonObject{{QStringLiteral("url"), QStringLiteral("https://images.example/fake-%1.png").arg(i)}});
        else
            data.append(QJsonObject{{QStringLiteral("b64_json"), QString::fromLatin1(QByteArray(QByteArray("\x89PNG fake ") + QByteArray::number(i)).toBase64())}});
    }
    QJsonObject root{{QStringLiteral("created"), kCreated}, {QStringLiteral("data"), data}};
    // gpt-image-1 reports tokens: the prompt's words in, 100 per image out.
    if (model.startsWith(QLatin1String("gpt-image")))
        root.insert(QStringLiteral("usage"), QJsonObject{{QStringLiteral("input_tokens"), countWords(prompt)},
                                                         {QStringLiteral("output_tokens"), 100 * n},
                                                         {QStringLiteral("total_tokens"), countWords(prompt) + 100 * n}});
    return FakeReply::json(200, root);
}

FakeReply FakeOpenAiHandler::speech(const QJsonObject &request) const
{
    const QString input = request.value(QLatin1String("input")).toString();
    if (request.value(QLatin1String("model")).toString().isEmpty() || input.isEmpty()
        || request.value(QLatin1String("voice")).toString().isEmpty())
        return errorReply(400, QStringLiteral("model, input and voice are required"), QString(), QString());
    // "Audio": a fake MP3 frame header and the input's bytes, binary as a real answer is.
    FakeReply reply;
    reply.body = QByteArray("ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb", 12) + input.toUtf8();
    setFakeHeader(reply.headers, "content-type", "audio/mpeg");
    return reply;
}

int FakeOpenAiHandler::countWords(const QString &text)
{
    return FakeContent::countWords(text);
}

FakeReply FakeOpenAiHandler::chatCompletion(const QJsonObject &request, const FakeBehavior &behavior,
                                            const FakeReplyContext &context) const
{
    const QString model = request.value(QLatin1String("model")).toString();
    if (model.isEmpty())
        return errorReply(400, QStringLiteral("you must provide a model parameter"), QString(), QString());
    const QJsonArray messages = request.value(QLatin1String("messages")).toArray();
    if (messages.isEmpty())
        return errorReply(400, QStringLiteral("'messages' is a required property and must not be empty"), QString(), QString());

    int promptTokens = 0;
    QString lastUserText;
    for (const QJsonValue &message : messages) {
        const QJsonObject object = message.toObject();
        const QString text = FakeContent::text(object.value(QLatin1String("content")));
        promptTokens += countWords(text) + 3;
        if (object.value(QLatin1String("role")).toString() == QLatin1String("user"))
            lastUserText = text;
    }

    const QString id = QStringLiteral("chatcmpl-fake-") + QString::number(context.sequence);
    const std::optional<ToolCall> toolCall = toolCallFor(request, lastUserText, context.sequence);

    QStringList words = FakeContent::words(behavior.text.isEmpty() ? QStringLiteral("Echo: ") + lastUserText : behavior.text);
    QString finishReason = QStringLiteral("stop");
    int maxTokens = request.value(QLatin1String("max_completion_tokens")).toInt(0);
    if (maxTokens <= 0)
        maxTokens = request.value(QLatin1String("max_tokens")).toInt(0);
    if (maxTokens > 0 && words.size() > maxTokens) {
        words = words.mid(0, maxTokens);
        finishReason = QStringLiteral("length");
    }
    const QString text = words.join(QLatin1Char(' '));
    int completionTokens = int(words.size());
    if (toolCall) {
        finishReason = QStringLiteral("tool_calls");
        completionTokens = countWords(toolCall->arguments) + 1;
    }
    const QJsonObject usage = usageObject(promptTokens, completionTokens, behavior);

    auto toolCallJson = [&toolCall](bool withArguments) {
        QJsonObject function;
        function.insert(QStringLiteral("name"), toolCall->name);
        function.insert(QStringLiteral("arguments"), withArguments ? toolCall->arguments : QString());
        QJsonObject call;
        call.insert(QStringLiteral("id"), toolCall->id);
        call.insert(QStringLiteral("type"), QStringLiteral("function"));
        call.insert(QStringLiteral("function"), function);
        return call;
    };

    if (!request.value(QLatin1String("stream")).toBool()) {
        QJsonObject message;
        message.insert(QStringLiteral("role"), QStringLiteral("assistant"));
        if (toolCall) {
            message.insert(QStringLiteral("content"), QJsonValue::Null);
            message.insert(QStringLiteral("tool_calls"), QJsonArray{toolCallJson(true)});
        } else {
            message.insert(QStringLiteral("content"), text);
        }
        QJsonObject choice;
        choice.insert(QStringLiteral("index"), 0);
        choice.insert(QStringLiteral("message"), message);
        choice.insert(QStringLiteral("finish_reason"), finishReason);
        QJsonObject root;
        root.insert(QStringLiteral("id"), id);
        root.insert(QStringLiteral("object"), QStringLiteral("chat.completion"));
        root.insert(QStringLiteral("created"), kCreated);
        root.insert(QStringLiteral("model"), model);
        root.insert(QStringLiteral("choices"), QJsonArray{choice});
        if (!behavior.omitUsage)
            root.insert(QStringLiteral("usage"), usage);
        return FakeReply::json(200, root);
    }

    const bool includeUsage = request.value(QLatin1String("stream_options")).toObject()
                                  .value(QLatin1String("include_usage")).toBool();
    // OpenAI sends "usage": null on every chunk once usage was asked for.
    auto chunk = [&](const QJsonObject &delta, const QJsonValue &finish) {
        QJsonObject choice;
        choice.insert(QStringLiteral("index"), 0);
        choice.insert(QStringLiteral("delta"), delta);
        choice.insert(QStringLiteral("finish_reason"), finish);
        QJsonObject root;
        root.insert(QStringLiteral("id"), id);
        root.insert(QStringLiteral("object"), QStringLiteral("chat.completion.chunk"));
        root.insert(QStringLiteral("created"), kCreated);
        root.insert(QStringLiteral("model"), model);
        root.insert(QStringLiteral("choices"), QJsonArray{choice});
        if (includeUsage)
            root.insert(QStringLiteral("usage"), QJsonValue::Null);
        return FakeReply::sseData(root);
    };

    QList<QByteArray> events;
    QJsonObject first;
    first.insert(QStringLiteral("role"), QStringLiteral("assistant"));
    if (toolCall) {
        first.insert(QStringLiteral("content"), QJsonValue::Null);
        QJsonObject head = toolCallJson(false);
        head.insert(QStringLiteral("index"), 0);
        first.insert(QStringLiteral("tool_calls"), QJsonArray{head});
        events.append(chunk(first, QJsonValue::Null));
        // Arguments in two pieces so clients must concatenate, as with OpenAI.
        const qsizetype half = toolCall->arguments.size() / 2;
        for (const QString &piece : {toolCall->arguments.left(half), toolCall->arguments.mid(half)}) {
            QJsonObject function;
            function.insert(QStringLiteral("arguments"), piece);
            QJsonObject call;
            call.insert(QStringLiteral("index"), 0);
            call.insert(QStringLiteral("function"), function);
            QJsonObject delta;
            delta.insert(QStringLiteral("tool_calls"), QJsonArray{call});
            events.append(chunk(delta, QJsonValue::Null));
        }
    } else {
        first.insert(QStringLiteral("content"), QString());
        events.append(chunk(first, QJsonValue::Null));
        for (qsizetype i = 0; i < words.size(); ++i) {
            QJsonObject delta;
            delta.insert(QStringLiteral("content"), i == 0 ? words.at(i) : QLatin1Char(' ') + words.at(i));
            events.append(chunk(delta, QJsonValue::Null));
        }
    }
    events.append(chunk(QJsonObject(), finishReason));
    if (includeUsage && !behavior.omitUsage) {
        QJsonObject root;
        root.insert(QStringLiteral("id"), id);
        root.insert(QStringLiteral("object"), QStringLiteral("chat.completion.chunk"));
        root.insert(QStringLiteral("created"), kCreated);
        root.insert(QStringLiteral("model"), model);
        root.insert(QStringLiteral("choices"), QJsonArray());
        root.insert(QStringLiteral("usage"), usage);
        events.append(FakeReply::sseData(root));
    }
    events.append(FakeReply::sseData(QByteArrayLiteral("[DONE]")));
    return FakeReply::eventStream(std::move(events));
}

QList<float> FakeOpenAiHandler::embeddingFor(const QString &text, int dimensions)
{
    const quint64 seed = fnv1a(text.toUtf8());
    QList<float> vector;
    vector.reserve(dimensions);
    double norm = 0;
    for (int i = 0; i < dimensions; ++i) {
        const double unit = double(splitmix(seed + quint64(i)) >> 11) / double(1ULL << 53);
        const float value = float(unit * 2.0 - 1.0);
        vector.append(value);
        norm += double(value) * double(value);
    }
    norm = std::sqrt(norm);
    if (norm > 0) {
        for (float &value : vector)
            value = float(double(value) / norm);
    }
    return vector;
}

FakeReply FakeOpenAiHandler::embeddings(const QJsonObject &request, const FakeReplyContext &context) const
{
    Q_UNUSED(context)
    const QString model = request.value(QLatin1String("model")).toString();
    if (model.isEmpty())
        return errorReply(400, QStringLiteral("you must provide a model parameter"), QString(), QString());

    // Each input as (text to seed the vector, token count).
    QList<std::pair<QString, int>> inputs;
    auto tokenInput = [](const QJsonArray &tokens) -> std::optional<std::pair<QString, int>> {
        QStringList ids;
        for (const QJsonValue &token : tokens) {
            if (!token.isDouble())
                return std::nullopt;
            ids.append(QString::number(token.toInteger()));
        }
        return std::pair{ids.join(QLatin1Char(' ')), int(tokens.size())};
    };
    const QJsonValue input = request.value(QLatin1String("input"));
    bool valid = true;
    if (input.isString()) {
        inputs.append({input.toString(), countWords(input.toString())});
    } else if (input.isArray() && !input.toArray().isEmpty()) {
        const QJsonArray array = input.toArray();
        if (array.first().isDouble()) {
            const auto tokens = tokenInput(array);
            valid = tokens.has_value();
            if (valid)
                inputs.append(*tokens);
        } else {
            for (const QJsonValue &item : array) {
                if (item.isString()) {
                    inputs.append({item.toString(), countWords(item.toString())});
                } else if (const auto tokens = item.isArray() ? tokenInput(item.toArray()) : std::nullopt) {
                    inputs.append(*tokens);
                } else {
                    valid = false;
                    break;
                }
            }
        }
    } else {
        valid = false;
    }
    if (!valid) {
        return errorReply(400, QStringLiteral("'input' must be a string, an array of strings, or an array of token arrays"),
                          QString(), QString());
    }

    const QJsonValue dimensionsValue = request.value(QLatin1String("dimensions"));
    const int dimensions = dimensionsValue.isUndefined() ? kDefaultEmbeddingDimensions : dimensionsValue.toInt(0);
    if (dimensions < 1 || dimensions > 4096)
        return errorReply(400, QStringLiteral("'dimensions' must be between 1 and 4096"), QString(), QString());
    const bool base64 = request.value(QLatin1String("encoding_format")).toString() == QLatin1String("base64");

    QJsonArray data;
    int promptTokens = 0;
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        const QList<float> vector = embeddingFor(inputs.at(i).first, dimensions);
        promptTokens += inputs.at(i).second;
        QJsonObject item;
        item.insert(QStringLiteral("object"), QStringLiteral("embedding"));
        item.insert(QStringLiteral("index"), int(i));
        if (base64) {
            QByteArray raw;
            raw.reserve(vector.size() * 4);
            for (float value : vector) {
                const quint32 bits = qToLittleEndian(std::bit_cast<quint32>(value));
                raw.append(reinterpret_cast<const char *>(&bits), sizeof bits);
            }
            item.insert(QStringLiteral("embedding"), QString::fromLatin1(raw.toBase64()));
        } else {
            QJsonArray values;
            for (float value : vector)
                values.append(double(value));
            item.insert(QStringLiteral("embedding"), values);
        }
        data.append(item);
    }
    QJsonObject usage;
    usage.insert(QStringLiteral("prompt_tokens"), promptTokens);
    usage.insert(QStringLiteral("total_tokens"), promptTokens);
    QJsonObject root;
    root.insert(QStringLiteral("object"), QStringLiteral("list"));
    root.insert(QStringLiteral("data"), data);
    root.insert(QStringLiteral("model"), model);
    root.insert(QStringLiteral("usage"), usage);
    return FakeReply::json(200, root);
}

FakeReply FakeOpenAiHandler::model(const QString &id) const
{
    if (id.isEmpty())
        return errorReply(404, QStringLiteral("The model '") + id + QStringLiteral("' does not exist"), QString(),
                          QStringLiteral("model_not_found"));
    QJsonObject object;
    object.insert(QStringLiteral("id"), id);
    object.insert(QStringLiteral("object"), QStringLiteral("model"));
    object.insert(QStringLiteral("created"), kCreated);
    object.insert(QStringLiteral("owned_by"), QStringLiteral("fake-upstream"));
    return FakeReply::json(200, object);
}

FakeReply FakeOpenAiHandler::models(const FakeReplyContext &context) const
{
    QStringList ids{QStringLiteral("gpt-4o"), QStringLiteral("gpt-4o-mini"), QStringLiteral("text-embedding-3-small")};
    for (const QString &seen : context.seenModels) {
        if (!ids.contains(seen))
            ids.append(seen);
    }
    QJsonArray data;
    for (const QString &id : ids)
        data.append(QJsonDocument::fromJson(model(id).body).object());
    QJsonObject root;
    root.insert(QStringLiteral("object"), QStringLiteral("list"));
    root.insert(QStringLiteral("data"), data);
    return FakeReply::json(200, root);
}

} // namespace gw::test
