#include "fakeanthropichandler.h"

#include "fakecontent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QUrlQuery>

#include <cmath>

namespace gw::test {

namespace {

const QLatin1String kMessagesPath("/v1/messages");
const QLatin1String kCountTokensPath("/v1/messages/count_tokens");
const QLatin1String kModelsPath("/v1/models");

struct KnownModel
{
    const char *id;
    const char *displayName;
    const char *createdAt;
};

// Newest first, as the real list is ordered.
constexpr KnownModel kKnownModels[] = {
    {"claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-01T00:00:00Z"},
    {"claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"},
    {"claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"},
};

bool isAnthropicRequest(const FakeRecordedRequest &request)
{
    return !request.header("anthropic-version").isEmpty() || !request.header("x-api-key").isEmpty();
}

QString bearerToken(const FakeRecordedRequest &request)
{
    const QByteArray authorization = request.header("authorization");
    if (!authorization.startsWith("Bearer "))
        return {};
    return QString::fromUtf8(authorization.mid(7)).trimmed();
}

struct ToolUse
{
    QString id;
    QString name;
    QJsonObject input;
    // tool_choice "any" or "tool": the API prefills the turn, so Claude
    // writes no text before the call.
    bool forced = false;
};

// nullopt unless the request has tools and tool_choice forces one ("any",
// "tool") or, with "auto", the user asks for one ("call tool").
std::optional<ToolUse> toolUseFor(const QJsonObject &request, const QString &lastUserText, int sequence)
{
    const QJsonArray tools = request.value(QLatin1String("tools")).toArray();
    if (tools.isEmpty())
        return std::nullopt;
    const QJsonObject choice = request.value(QLatin1String("tool_choice")).toObject();
    const QString type = choice.value(QLatin1String("type")).toString(QStringLiteral("auto"));
    if (type == QLatin1String("none"))
        return std::nullopt;
    const bool forced = type == QLatin1String("any") || type == QLatin1String("tool");
    if (!forced && !lastUserText.contains(QLatin1String("call tool"), Qt::CaseInsensitive))
        return std::nullopt;
    const QString named = type == QLatin1String("tool") ? choice.value(QLatin1String("name")).toString() : QString();
    QJsonObject tool = tools.first().toObject();
    for (const QJsonValue &candidate : tools) {
        if (!named.isEmpty() && candidate.toObject().value(QLatin1String("name")).toString() == named)
            tool = candidate.toObject();
    }
    ToolUse use;
    use.id = QStringLiteral("toolu_fake_") + QString::number(sequence);
    use.name = named.isEmpty() ? tool.value(QLatin1String("name")).toString() : named;
    use.input = FakeContent::placeholderArguments(tool.value(QLatin1String("input_schema")).toObject());
    use.forced = forced;
    return use;
}

QString stopReasonText(FakeContent::Stop stop)
{
    switch (stop) {
    case FakeContent::Stop::MaxTokens: return QStringLiteral("max_tokens");
    case FakeContent::Stop::StopSequence: return QStringLiteral("stop_sequence");
    case FakeContent::Stop::End: break;
    }
    return QStringLiteral("end_turn");
}

QString streamErrorMessage(const QString &type)
{
    if (type == QLatin1String("overloaded_error"))
        return QStringLiteral("Overloaded");
    if (type == QLatin1String("api_error"))
        return QStringLiteral("Internal server error");
    return QStringLiteral("fake-upstream: injected stream error");
}

QJsonObject textBlock(const QString &text)
{
    QJsonObject block;
    block.insert(QStringLiteral("type"), QStringLiteral("text"));
    block.insert(QStringLiteral("text"), text);
    return block;
}

QJsonObject toolUseBlock(const ToolUse &use, const QJsonObject &input)
{
    QJsonObject block;
    block.insert(QStringLiteral("type"), QStringLiteral("tool_use"));
    block.insert(QStringLiteral("id"), use.id);
    block.insert(QStringLiteral("name"), use.name);
    block.insert(QStringLiteral("input"), input);
    return block;
}

} // namespace

bool FakeAnthropicHandler::handles(const FakeRecordedRequest &request) const
{
    if (request.method == "POST")
        return request.path == kMessagesPath || request.path == kCountTokensPath;
    if (request.method == "GET") {
        const bool modelsPath = request.path == kModelsPath || request.path.startsWith(kModelsPath + QLatin1Char('/'));
        return modelsPath && isAnthropicRequest(request);
    }
    return false;
}

bool FakeAnthropicHandler::recognizes(const FakeRecordedRequest &request) const
{
    return request.path.startsWith(kMessagesPath) || isAnthropicRequest(request);
}

std::optional<FakeReply> FakeAnthropicHandler::checkAuth(const FakeRecordedRequest &request,
                                                         const QString &requiredKey) const
{
    // x-api-key is the API's own header; Bearer is how OAuth tokens travel.
    QString key = QString::fromUtf8(request.header("x-api-key")).trimmed();
    if (key.isEmpty())
        key = bearerToken(request);
    if (key.isEmpty())
        return errorReply(401, QStringLiteral("x-api-key header is required"), QString(), QString());
    if (!requiredKey.isEmpty() && key != requiredKey)
        return errorReply(401, QStringLiteral("invalid x-api-key"), QString(), QString());
    return std::nullopt;
}

FakeReply FakeAnthropicHandler::errorReply(int status, const QString &message, const QString &type,
                                           const QString &code) const
{
    // Anthropic's errors have a type and a message only; there is no code.
    Q_UNUSED(code)
    QString defaultType;
    switch (status) {
    case 401: defaultType = QStringLiteral("authentication_error"); break;
    case 403: defaultType = QStringLiteral("permission_error"); break;
    case 404: defaultType = QStringLiteral("not_found_error"); break;
    case 413: defaultType = QStringLiteral("request_too_large"); break;
    case 429: defaultType = QStringLiteral("rate_limit_error"); break;
    case 529: defaultType = QStringLiteral("overloaded_error"); break;
    default:
        defaultType = status >= 500 ? QStringLiteral("api_error") : QStringLiteral("invalid_request_error");
        break;
    }
    QString defaultMessage = QStringLiteral("fake-upstream: injected HTTP ") + QString::number(status);
    if (status == 529)
        defaultMessage = QStringLiteral("Overloaded");

    QJsonObject error;
    error.insert(QStringLiteral("type"), type.isEmpty() ? defaultType : type);
    error.insert(QStringLiteral("message"), message.isEmpty() ? defaultMessage : message);
    QJsonObject root;
    root.insert(QStringLiteral("type"), QStringLiteral("error"));
    root.insert(QStringLiteral("error"), error);
    return FakeReply::json(status, root);
}

FakeHeaders FakeAnthropicHandler::replyHeaders(const FakeReplyContext &context) const
{
    return {{QByteArrayLiteral("request-id"), QByteArrayLiteral("fake-req-") + QByteArray::number(context.sequence)}};
}

FakeReply FakeAnthropicHandler::reply(const FakeRecordedRequest &request, const FakeBehavior &behavior,
                                      const FakeReplyContext &context)
{
    // The real API refuses every request without a version, models included.
    if (request.header("anthropic-version").isEmpty())
        return errorReply(400, QStringLiteral("anthropic-version: header is required"), QString(), QString());
    if (request.method == "GET") {
        if (request.path == kModelsPath)
            return models(request, context);
        return FakeReply::json(200, model(request.path.mid(kModelsPath.size() + 1)));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString reason = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                            : QStringLiteral("expected a JSON object");
        return errorReply(400, QStringLiteral("There was an error parsing the body of your request: ") + reason,
                          QString(), QString());
    }
    if (request.path == kCountTokensPath)
        return countTokens(document.object());
    return messages(document.object(), behavior, context);
}

int FakeAnthropicHandler::inputTokens(const QJsonObject &request)
{
    int tokens = FakeContent::countWords(FakeContent::text(request.value(QLatin1String("system"))));
    const QJsonArray messages = request.value(QLatin1String("messages")).toArray();
    for (const QJsonValue &message : messages)
        tokens += FakeContent::countWords(FakeContent::text(message.toObject().value(QLatin1String("content")))) + 3;
    return tokens;
}

std::optional<FakeReply> FakeAnthropicHandler::invalidFields(const QJsonObject &request, bool needMaxTokens) const
{
    // The real messages name the field first, as pydantic reports them.
    auto invalid = [this](const QString &message) { return errorReply(400, message, QString(), QString()); };
    if (!request.contains(QLatin1String("model")))
        return invalid(QStringLiteral("model: Field required"));
    if (!request.value(QLatin1String("model")).isString())
        return invalid(QStringLiteral("model: Input should be a valid string"));
    if (needMaxTokens) {
        const QJsonValue maxTokens = request.value(QLatin1String("max_tokens"));
        if (maxTokens.isUndefined())
            return invalid(QStringLiteral("max_tokens: Field required"));
        const double value = maxTokens.toDouble(-1);
        if (!maxTokens.isDouble() || value != std::floor(value))
            return invalid(QStringLiteral("max_tokens: Input should be a valid integer"));
        if (value < 1)
            return invalid(QStringLiteral("max_tokens: Input should be greater than or equal to 1"));
    }
    const QJsonValue messages = request.value(QLatin1String("messages"));
    if (messages.isUndefined())
        return invalid(QStringLiteral("messages: Field required"));
    if (!messages.isArray())
        return invalid(QStringLiteral("messages: Input should be a valid list"));
    if (messages.toArray().isEmpty())
        return invalid(QStringLiteral("messages: at least one message is required"));
    return std::nullopt;
}

FakeReply FakeAnthropicHandler::countTokens(const QJsonObject &request) const
{
    if (std::optional<FakeReply> invalid = invalidFields(request, false))
        return *invalid;
    QJsonObject root;
    root.insert(QStringLiteral("input_tokens"), inputTokens(request));
    return FakeReply::json(200, root);
}

FakeReply FakeAnthropicHandler::messages(const QJsonObject &request, const FakeBehavior &behavior,
                                         const FakeReplyContext &context) const
{
    if (std::optional<FakeReply> invalid = invalidFields(request, true))
        return *invalid;
    const QString modelName = request.value(QLatin1String("model")).toString();
    const int maxTokens = request.value(QLatin1String("max_tokens")).toInt();

    QString lastUserText;
    const QJsonArray messageList = request.value(QLatin1String("messages")).toArray();
    for (const QJsonValue &message : messageList) {
        const QJsonObject object = message.toObject();
        if (object.value(QLatin1String("role")).toString() == QLatin1String("user"))
            lastUserText = FakeContent::text(object.value(QLatin1String("content")));
    }
    const int input = inputTokens(request);

    QStringList stopSequences;
    const QJsonArray stops = request.value(QLatin1String("stop_sequences")).toArray();
    for (const QJsonValue &stop : stops)
        stopSequences.append(stop.toString());

    const std::optional<ToolUse> toolUse = toolUseFor(request, lastUserText, context.sequence);
    FakeContent::Cut answer;
    QString preamble; // the text block before a tool_use, if any
    QString inputJson;
    int outputTokens = 0;
    if (toolUse) {
        if (!toolUse->forced)
            preamble = QStringLiteral("Calling ") + toolUse->name + QLatin1Char('.');
        inputJson = QString::fromUtf8(QJsonDocument(toolUse->input).toJson(QJsonDocument::Compact));
        outputTokens = FakeContent::countWords(preamble) + FakeContent::countWords(inputJson) + 1;
    } else {
        answer = FakeContent::cut(
            FakeContent::words(behavior.text.isEmpty() ? QStringLiteral("Echo: ") + lastUserText : behavior.text),
            maxTokens, stopSequences);
        outputTokens = int(answer.words.size());
    }
    const QString stopReason = toolUse ? QStringLiteral("tool_use") : stopReasonText(answer.stop);
    const QJsonValue stopSequence = answer.stop == FakeContent::Stop::StopSequence ? QJsonValue(answer.stopSequence)
                                                                                    : QJsonValue(QJsonValue::Null);

    auto usage = [&](int output) {
        // The cache counts come on top of input_tokens, as Anthropic reports them.
        QJsonObject object;
        object.insert(QStringLiteral("input_tokens"), input);
        object.insert(QStringLiteral("cache_creation_input_tokens"), behavior.cacheWriteTokens);
        object.insert(QStringLiteral("cache_read_input_tokens"), behavior.cacheReadTokens);
        object.insert(QStringLiteral("output_tokens"), output);
        return object;
    };
    auto message = [&](const QJsonArray &content, const QJsonValue &reason, const QJsonValue &sequence) {
        QJsonObject object;
        object.insert(QStringLiteral("id"), QString(QStringLiteral("msg_fake_") + QString::number(context.sequence)));
        object.insert(QStringLiteral("type"), QStringLiteral("message"));
        object.insert(QStringLiteral("role"), QStringLiteral("assistant"));
        object.insert(QStringLiteral("model"), modelName);
        object.insert(QStringLiteral("content"), content);
        object.insert(QStringLiteral("stop_reason"), reason);
        object.insert(QStringLiteral("stop_sequence"), sequence);
        return object;
    };

    if (!request.value(QLatin1String("stream")).toBool()) {
        QJsonArray content;
        if (toolUse) {
            if (!preamble.isEmpty())
                content.append(textBlock(preamble));
            content.append(toolUseBlock(*toolUse, toolUse->input));
        } else {
            content.append(textBlock(answer.words.join(QLatin1Char(' '))));
        }
        QJsonObject root = message(content, stopReason, stopSequence);
        if (!behavior.omitUsage)
            root.insert(QStringLiteral("usage"), usage(outputTokens));
        return FakeReply::json(200, root);
    }

    // message_start, then per block its start, deltas and stop (a ping after
    // the first start, where the API sends one), message_delta, message_stop.
    QList<QByteArray> events;
    QJsonObject start = message(QJsonArray(), QJsonValue::Null, QJsonValue::Null);
    start.insert(QStringLiteral("usage"), usage(1));
    events.append(FakeReply::sseEvent("message_start", QJsonObject{{QStringLiteral("type"), QStringLiteral("message_start")},
                                                                   {QStringLiteral("message"), start}}));

    bool errorPending = !behavior.streamError.isEmpty();
    int deltasBeforeError = behavior.streamErrorAfter;
    auto streamError = [&] {
        QJsonObject error;
        error.insert(QStringLiteral("type"), behavior.streamError);
        error.insert(QStringLiteral("message"), behavior.errorMessage.isEmpty() ? streamErrorMessage(behavior.streamError)
                                                                              : behavior.errorMessage);
        events.append(FakeReply::sseEvent("error", QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                                               {QStringLiteral("error"), error}}));
    };
    if (errorPending && deltasBeforeError <= 0) {
        // Overloaded before any content: the caller has nothing to show yet.
        streamError();
        return FakeReply::eventStream(std::move(events));
    }
    int index = 0;
    auto blockStart = [&](const QJsonObject &block) {
        events.append(FakeReply::sseEvent("content_block_start",
                                          QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_start")},
                                                      {QStringLiteral("index"), index},
                                                      {QStringLiteral("content_block"), block}}));
        if (index == 0)
            events.append(FakeReply::sseEvent("ping", QJsonObject{{QStringLiteral("type"), QStringLiteral("ping")}}));
    };
    // Returns false once the scripted error has ended the stream.
    auto blockDelta = [&](const QJsonObject &delta) {
        events.append(FakeReply::sseEvent("content_block_delta",
                                          QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_delta")},
                                                      {QStringLiteral("index"), index},
                                                      {QStringLiteral("delta"), delta}}));
        if (!errorPending || --deltasBeforeError > 0)
            return true;
        streamError();
        errorPending = false;
        return false;
    };
    auto blockStop = [&] {
        events.append(FakeReply::sseEvent("content_block_stop",
                                          QJsonObject{{QStringLiteral("type"), QStringLiteral("content_block_stop")},
                                                      {QStringLiteral("index"), index}}));
        ++index;
    };
    auto textDeltas = [&](const QStringList &words) {
        for (qsizetype i = 0; i < words.size(); ++i) {
            QJsonObject delta;
            delta.insert(QStringLiteral("type"), QStringLiteral("text_delta"));
            delta.insert(QStringLiteral("text"), i == 0 ? words.at(i) : QLatin1Char(' ') + words.at(i));
            if (!blockDelta(delta))
                return false;
        }
        return true;
    };

    auto body = [&] {
        if (toolUse) {
            if (!preamble.isEmpty()) {
                blockStart(textBlock(QString()));
                if (!textDeltas(FakeContent::words(preamble)))
                    return false;
                blockStop();
            }
            blockStart(toolUseBlock(*toolUse, QJsonObject()));
            // The input in two pieces so that clients must concatenate, as with Anthropic.
            const qsizetype half = inputJson.size() / 2;
            for (const QString &piece : {inputJson.left(half), inputJson.mid(half)}) {
                QJsonObject delta;
                delta.insert(QStringLiteral("type"), QStringLiteral("input_json_delta"));
                delta.insert(QStringLiteral("partial_json"), piece);
                if (!blockDelta(delta))
                    return false;
            }
            blockStop();
            return true;
        }
        blockStart(textBlock(QString()));
        if (!textDeltas(answer.words))
            return false;
        blockStop();
        return true;
    };
    if (!body())
        return FakeReply::eventStream(std::move(events));
    if (errorPending) {
        // Fewer deltas than asked for: the error still comes before the end.
        streamError();
        return FakeReply::eventStream(std::move(events));
    }

    QJsonObject messageDelta;
    messageDelta.insert(QStringLiteral("type"), QStringLiteral("message_delta"));
    messageDelta.insert(QStringLiteral("delta"), QJsonObject{{QStringLiteral("stop_reason"), stopReason},
                                                             {QStringLiteral("stop_sequence"), stopSequence}});
    // The API now repeats the whole usage here; output_tokens is the final count.
    if (!behavior.omitUsage)
        messageDelta.insert(QStringLiteral("usage"), usage(outputTokens));
    events.append(FakeReply::sseEvent("message_delta", messageDelta));
    events.append(FakeReply::sseEvent("message_stop", QJsonObject{{QStringLiteral("type"), QStringLiteral("message_stop")}}));
    return FakeReply::eventStream(std::move(events));
}

QJsonObject FakeAnthropicHandler::model(const QString &id) const
{
    QJsonObject object;
    object.insert(QStringLiteral("type"), QStringLiteral("model"));
    object.insert(QStringLiteral("id"), id);
    object.insert(QStringLiteral("display_name"), id);
    object.insert(QStringLiteral("created_at"), kCreatedAt);
    for (const KnownModel &known : kKnownModels) {
        if (id == QLatin1String(known.id)) {
            object.insert(QStringLiteral("display_name"), QLatin1String(known.displayName));
            object.insert(QStringLiteral("created_at"), QLatin1String(known.createdAt));
        }
    }
    return object;
}

FakeReply FakeAnthropicHandler::models(const FakeRecordedRequest &request, const FakeReplyContext &context) const
{
    QStringList ids;
    for (const KnownModel &known : kKnownModels)
        ids.append(QLatin1String(known.id));
    for (const QString &seen : context.seenModels) {
        if (!ids.contains(seen))
            ids.append(seen);
    }

    // Cursor paging as the API does it: limit (1..1000, default 20),
    // after_id or before_id.
    const QUrlQuery query(request.query);
    bool limitOk = false;
    int limit = query.queryItemValue(QStringLiteral("limit")).toInt(&limitOk);
    if (!query.hasQueryItem(QStringLiteral("limit"))) {
        limit = 20;
    } else if (!limitOk || limit < 1 || limit > 1000) {
        return errorReply(400, QStringLiteral("limit: Input should be greater than or equal to 1 and less than or equal to 1000"),
                          QString(), QString());
    }
    qsizetype from = 0;
    qsizetype to = ids.size();
    const QString afterId = query.queryItemValue(QStringLiteral("after_id"), QUrl::FullyDecoded);
    const QString beforeId = query.queryItemValue(QStringLiteral("before_id"), QUrl::FullyDecoded);
    if (!afterId.isEmpty() && ids.contains(afterId))
        from = ids.indexOf(afterId) + 1;
    if (!beforeId.isEmpty() && ids.contains(beforeId))
        to = ids.indexOf(beforeId);
    bool hasMore = false;
    if (to - from > limit) {
        hasMore = true;
        if (!beforeId.isEmpty() && afterId.isEmpty())
            from = to - limit;
        else
            to = from + limit;
    }

    QJsonArray data;
    for (qsizetype i = from; i < to; ++i)
        data.append(model(ids.at(i)));
    QJsonObject root;
    root.insert(QStringLiteral("data"), data);
    root.insert(QStringLiteral("has_more"), hasMore);
    root.insert(QStringLiteral("first_id"), data.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(ids.at(from)));
    root.insert(QStringLiteral("last_id"), data.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(ids.at(to - 1)));
    return FakeReply::json(200, root);
}

} // namespace gw::test
