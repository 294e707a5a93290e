#include "openaichatcodec.h"

#include "dataurl.h"
#include "jsonfieldreader.h"
#include "openaichatjson.h"
#include "openaistreamdecoder.h"
#include "openaistreamencoder.h"
#include "stopreasons.h"
#include "toolcallids.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gw {

namespace {

using Kind = ir::ContentPart::Kind;

std::optional<QJsonObject> parseObject(QByteArrayView body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

void addOnce(QStringList *list, const QString &name)
{
    if (!list->contains(name))
        list->append(name);
}

QString joinedText(const QList<ir::ContentPart> &parts)
{
    QString out;
    for (const ir::ContentPart &part : parts) {
        if (part.kind == Kind::Text)
            out += part.text;
    }
    return out;
}

// Content that can only be text: a string, or an array of parts of the
// given types (text; for an assistant also refusal) each carrying text.
bool decodeTextContent(const QJsonValue &content, const QString &path, JsonFieldReader &r, bool allowRefusal,
                       bool keepEmpty, QList<ir::ContentPart> *out)
{
    if (content.isUndefined() || content.isNull())
        return true;
    if (content.isString()) {
        if (keepEmpty || !content.toString().isEmpty())
            out->append(ir::ContentPart::textPart(content.toString()));
        return true;
    }
    if (!content.isArray())
        return r.wrongType(path, u"a string or an array of content parts"_s, content);
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString partPath = JsonFieldReader::path(path, i);
        const auto part = r.element(parts, i, path);
        if (!part)
            return false;
        const auto type = r.requiredString(*part, "type"_L1, partPath);
        if (!type)
            return false;
        const bool refusal = allowRefusal && *type == "refusal"_L1;
        if (*type != "text"_L1 && !refusal)
            return r.invalidValue(JsonFieldReader::path(partPath, "type"_L1),
                                  u"'%1' content parts are not allowed here."_s.arg(*type));
        const auto text = r.requiredString(*part, refusal ? "refusal"_L1 : "text"_L1, partPath);
        if (!text)
            return false;
        out->append(ir::ContentPart::textPart(*text));
    }
    return true;
}

bool decodeImagePart(const QJsonObject &part, const QString &partPath, JsonFieldReader &r, QList<ir::ContentPart> *out)
{
    const QJsonValue value = part.value("image_url"_L1);
    const QString imagePath = JsonFieldReader::path(partPath, "image_url"_L1);
    QString url;
    if (value.isString()) {
        url = value.toString();
    } else if (value.isObject()) {
        const auto u = r.requiredString(value.toObject(), "url"_L1, imagePath);
        if (!u)
            return false;
        url = *u;
        // "detail" only sizes OpenAI's own image tokens: no meaning elsewhere.
    } else if (value.isUndefined() || value.isNull()) {
        return r.missing(imagePath);
    } else {
        return r.wrongType(imagePath, u"an object"_s, value);
    }
    ir::ContentPart image;
    image.kind = Kind::Image;
    if (DataUrl::isDataUrl(url)) {
        const auto data = DataUrl::parse(url);
        if (!data)
            return r.invalidValue(JsonFieldReader::path(imagePath, "url"_L1),
                                  u"a data: URL must be base64-encoded (data:<media type>;base64,<data>)."_s);
        image.mediaType = data->mediaType;
        image.imageBase64 = data->base64;
    } else {
        image.imageUrl = url;
    }
    out->append(image);
    return true;
}

bool decodeUserContent(const QJsonValue &content, const QString &path, JsonFieldReader &r, QList<ir::ContentPart> *out,
                       QStringList *untranslatable)
{
    if (content.isString()) {
        out->append(ir::ContentPart::textPart(content.toString()));
        return true;
    }
    if (content.isUndefined() || content.isNull())
        return r.missing(path);
    if (!content.isArray())
        return r.wrongType(path, u"a string or an array of content parts"_s, content);
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString partPath = JsonFieldReader::path(path, i);
        const auto part = r.element(parts, i, path);
        if (!part)
            return false;
        const auto type = r.requiredString(*part, "type"_L1, partPath);
        if (!type)
            return false;
        if (*type == "text"_L1) {
            const auto text = r.requiredString(*part, "text"_L1, partPath);
            if (!text)
                return false;
            out->append(ir::ContentPart::textPart(*text));
        } else if (*type == "image_url"_L1) {
            if (!decodeImagePart(*part, partPath, r, out))
                return false;
        } else if (*type == "input_audio"_L1 || *type == "file"_L1) {
            addOnce(untranslatable, *type + " content"_L1);
        } else {
            return r.invalidValue(JsonFieldReader::path(partPath, "type"_L1),
                                  u"unknown content part type '%1'."_s.arg(*type));
        }
    }
    return true;
}

bool decodeToolCalls(const QJsonArray &calls, const QString &path, JsonFieldReader &r, QList<ir::ContentPart> *out,
                     QStringList *untranslatable)
{
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QString callPath = JsonFieldReader::path(path, i);
        const auto call = r.element(calls, i, path);
        if (!call)
            return false;
        const auto type = r.string(*call, "type"_L1, callPath);
        if (r.failed())
            return false;
        if (type && *type != "function"_L1) {
            addOnce(untranslatable, *type + " tool calls"_L1);
            continue;
        }
        const auto id = r.string(*call, "id"_L1, callPath);
        const auto function = r.requiredObject(*call, "function"_L1, callPath);
        if (!function)
            return false;
        const QString functionPath = JsonFieldReader::path(callPath, "function"_L1);
        const auto name = r.requiredString(*function, "name"_L1, functionPath);
        const auto arguments = r.string(*function, "arguments"_L1, functionPath);
        if (r.failed())
            return false;
        ir::ContentPart part;
        part.kind = Kind::ToolCall;
        part.toolCallId = id.value_or(QString());
        part.toolName = *name;
        part.toolArguments = OpenAiChatJson::argumentsFromString(arguments.value_or(QString()));
        out->append(part);
    }
    return true;
}

bool decodeMessages(const QJsonArray &messages, JsonFieldReader &r, ir::ChatRequest *request)
{
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString path = JsonFieldReader::path(u"messages"_s, i);
        const auto message = r.element(messages, i, u"messages"_s);
        if (!message)
            return false;
        const auto role = r.requiredString(*message, "role"_L1, path);
        if (!role)
            return false;
        const QJsonValue content = message->value("content"_L1);
        const QString contentPath = JsonFieldReader::path(path, "content"_L1);
        if (*role == "system"_L1 || *role == "developer"_L1) {
            // Both instruct the model; a system message in mid-conversation
            // still instructs it, and the other families have only one place
            // for instructions.
            if (!decodeTextContent(content, contentPath, r, false, true, &request->system))
                return false;
        } else if (*role == "user"_L1) {
            ir::Message m;
            m.role = ir::Role::User;
            if (!decodeUserContent(content, contentPath, r, &m.parts, &request->untranslatable))
                return false;
            request->messages.append(m);
        } else if (*role == "assistant"_L1) {
            ir::Message m;
            m.role = ir::Role::Assistant;
            if (!decodeTextContent(content, contentPath, r, true, false, &m.parts))
                return false;
            const auto refusal = r.string(*message, "refusal"_L1, path);
            const auto toolCalls = r.array(*message, "tool_calls"_L1, path);
            const auto functionCall = r.object(*message, "function_call"_L1, path);
            const auto audio = r.object(*message, "audio"_L1, path);
            if (r.failed())
                return false;
            if (refusal && !refusal->isEmpty() && m.parts.isEmpty())
                m.parts.append(ir::ContentPart::textPart(*refusal));
            if (toolCalls
                && !decodeToolCalls(*toolCalls, JsonFieldReader::path(path, "tool_calls"_L1), r, &m.parts,
                                    &request->untranslatable))
                return false;
            if (functionCall)
                addOnce(&request->untranslatable, u"function_call"_s);
            if (audio)
                addOnce(&request->untranslatable, u"audio"_s);
            request->messages.append(m);
        } else if (*role == "tool"_L1) {
            const auto callId = r.requiredString(*message, "tool_call_id"_L1, path);
            if (!callId)
                return false;
            QList<ir::ContentPart> texts;
            if (!decodeTextContent(content, contentPath, r, false, true, &texts))
                return false;
            ir::ContentPart result;
            result.kind = Kind::ToolResult;
            result.toolCallId = *callId;
            result.text = joinedText(texts);
            // Consecutive tool messages answer one assistant turn: one Tool
            // message, as the other families group them.
            if (request->messages.isEmpty() || request->messages.last().role != ir::Role::Tool)
                request->messages.append(ir::Message{ir::Role::Tool, {}});
            request->messages.last().parts.append(result);
        } else if (*role == "function"_L1) {
            addOnce(&request->untranslatable, u"function messages"_s);
        } else {
            return r.invalidValue(JsonFieldReader::path(path, "role"_L1), u"unknown role '%1'."_s.arg(*role));
        }
    }
    return true;
}

bool decodeTools(const QJsonArray &tools, JsonFieldReader &r, ir::ChatRequest *request)
{
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString path = JsonFieldReader::path(u"tools"_s, i);
        const auto tool = r.element(tools, i, u"tools"_s);
        if (!tool)
            return false;
        const auto type = r.string(*tool, "type"_L1, path);
        if (r.failed())
            return false;
        if (type && *type != "function"_L1) {
            addOnce(&request->untranslatable, *type + " tools"_L1);
            continue;
        }
        const auto function = r.requiredObject(*tool, "function"_L1, path);
        if (!function)
            return false;
        const QString functionPath = JsonFieldReader::path(path, "function"_L1);
        const auto name = r.requiredString(*function, "name"_L1, functionPath);
        const auto description = r.string(*function, "description"_L1, functionPath);
        const auto parameters = r.object(*function, "parameters"_L1, functionPath);
        // "strict" asks OpenAI to enforce the schema; the schema itself still
        // goes along, so another family follows it without the guarantee.
        r.boolean(*function, "strict"_L1, functionPath);
        if (r.failed())
            return false;
        request->tools.append(ir::Tool{*name, description.value_or(QString()), parameters.value_or(QJsonObject())});
    }
    return true;
}

bool decodeToolChoice(const QJsonValue &value, JsonFieldReader &r, ir::ChatRequest *request)
{
    const QString path = u"tool_choice"_s;
    if (value.isUndefined() || value.isNull())
        return true;
    ir::ToolChoice choice;
    if (value.isString()) {
        const QString mode = value.toString();
        if (mode == "auto"_L1)
            choice.mode = ir::ToolChoice::Mode::Auto;
        else if (mode == "none"_L1)
            choice.mode = ir::ToolChoice::Mode::None;
        else if (mode == "required"_L1)
            choice.mode = ir::ToolChoice::Mode::Required;
        else
            return r.invalidValue(path, u"expected 'none', 'auto' or 'required', but got '%1'."_s.arg(mode));
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const auto type = r.requiredString(object, "type"_L1, path);
        if (!type)
            return false;
        if (*type != "function"_L1) {
            addOnce(&request->untranslatable, "tool_choice "_L1 + *type);
            return true;
        }
        const auto function = r.requiredObject(object, "function"_L1, path);
        if (!function)
            return false;
        const auto name = r.requiredString(*function, "name"_L1, JsonFieldReader::path(path, "function"_L1));
        if (!name)
            return false;
        choice.mode = ir::ToolChoice::Mode::Named;
        choice.name = *name;
    } else {
        return r.wrongType(path, u"a string or an object"_s, value);
    }
    request->toolChoice = choice;
    return true;
}

bool decodeStop(const QJsonValue &value, JsonFieldReader &r, QStringList *stop)
{
    if (value.isUndefined() || value.isNull())
        return true;
    if (value.isString()) {
        stop->append(value.toString());
        return true;
    }
    if (!value.isArray())
        return r.wrongType(u"stop"_s, u"a string or an array of strings"_s, value);
    const QJsonArray items = value.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isString())
            return r.wrongType(JsonFieldReader::path(u"stop"_s, i), u"a string"_s, items.at(i));
        stop->append(items.at(i).toString());
    }
    return true;
}

bool decodeResponseFormat(const QJsonObject &format, JsonFieldReader &r, ir::ChatRequest *request)
{
    const QString path = u"response_format"_s;
    const auto type = r.requiredString(format, "type"_L1, path);
    if (!type)
        return false;
    if (*type == "text"_L1) {
        request->responseFormat = ir::ResponseFormat::Text;
    } else if (*type == "json_object"_L1) {
        request->responseFormat = ir::ResponseFormat::JsonObject;
    } else if (*type == "json_schema"_L1) {
        const auto schema = r.requiredObject(format, "json_schema"_L1, path);
        if (!schema)
            return false;
        request->responseFormat = ir::ResponseFormat::JsonSchema;
        request->jsonSchema = *schema;
    } else {
        return r.invalidValue(JsonFieldReader::path(path, "type"_L1), u"unknown response format '%1'."_s.arg(*type));
    }
    return true;
}

// Request fields with a meaning the IR cannot carry: a translated call that
// sets them is refused rather than quietly answered without them.
bool noteUntranslatable(const QJsonObject &body, JsonFieldReader &r, ir::ChatRequest *request)
{
    QStringList *list = &request->untranslatable;
    if (r.boolean(body, "logprobs"_L1, {}).value_or(false))
        addOnce(list, u"logprobs"_s);
    if (r.integer(body, "top_logprobs"_L1, {}))
        addOnce(list, u"top_logprobs"_s);
    if (const auto bias = r.object(body, "logit_bias"_L1, {}); bias && !bias->isEmpty())
        addOnce(list, u"logit_bias"_s);
    if (r.object(body, "audio"_L1, {}))
        addOnce(list, u"audio"_s);
    if (const auto modalities = r.array(body, "modalities"_L1, {})) {
        for (const QJsonValue &m : *modalities) {
            if (m.toString() != "text"_L1)
                addOnce(list, u"modalities"_s);
        }
    }
    if (r.object(body, "prediction"_L1, {}))
        addOnce(list, u"prediction"_s);
    if (r.object(body, "web_search_options"_L1, {}))
        addOnce(list, u"web_search_options"_s);
    if (r.string(body, "reasoning_effort"_L1, {}))
        addOnce(list, u"reasoning_effort"_s);
    if (r.string(body, "verbosity"_L1, {}))
        addOnce(list, u"verbosity"_s);
    if (r.array(body, "functions"_L1, {}))
        addOnce(list, u"functions"_s);
    const QJsonValue functionCall = body.value("function_call"_L1);
    if (!functionCall.isUndefined() && !functionCall.isNull())
        addOnce(list, u"function_call"_s);
    return !r.failed();
}

QJsonValue textOrParts(const QList<ir::ContentPart> &parts)
{
    if (parts.size() == 1 && parts.first().kind == Kind::Text)
        return parts.first().text;
    QJsonArray out;
    for (const ir::ContentPart &part : parts) {
        if (part.kind == Kind::Text) {
            out.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, part.text}});
        } else if (part.kind == Kind::Image) {
            const QString url = part.imageUrl.isEmpty() ? DataUrl::make(part.mediaType, part.imageBase64) : part.imageUrl;
            out.append(QJsonObject{{u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject{{u"url"_s, url}}}});
        }
    }
    return out;
}

QJsonObject toolResultMessage(const ir::ContentPart &part)
{
    // OpenAI's tool messages have no error flag: the model learns of the
    // failure from the text, as it would from any tool's error output.
    const QString text = part.toolError ? "Error: "_L1 + part.text : part.text;
    return QJsonObject{{u"role"_s, u"tool"_s}, {u"tool_call_id"_s, part.toolCallId}, {u"content"_s, text}};
}

QJsonObject toolCallJson(const ir::ContentPart &part)
{
    return QJsonObject{
        {u"id"_s, part.toolCallId},
        {u"type"_s, u"function"_s},
        {u"function"_s,
         QJsonObject{{u"name"_s, part.toolName}, {u"arguments"_s, QString::fromUtf8(part.toolArguments)}}},
    };
}

void encodeMessage(const ir::Message &message, QJsonArray *out)
{
    QList<ir::ContentPart> rest;
    if (message.role == ir::Role::Assistant) {
        // Thinking parts are the model's own earlier reasoning: OpenAI takes
        // none back in a request, so they are left out.
        QList<ir::ContentPart> texts;
        QJsonArray calls;
        for (const ir::ContentPart &part : message.parts) {
            if (part.kind == Kind::Text)
                texts.append(part);
            else if (part.kind == Kind::ToolCall)
                calls.append(toolCallJson(part));
        }
        QJsonObject m{{u"role"_s, u"assistant"_s}};
        if (texts.isEmpty())
            m.insert(u"content"_s, calls.isEmpty() ? QJsonValue(QString()) : QJsonValue(QJsonValue::Null));
        else
            m.insert(u"content"_s, textOrParts(texts));
        if (!calls.isEmpty())
            m.insert(u"tool_calls"_s, calls);
        out->append(m);
        return;
    }
    // Tool results go first, each as a "tool" message, wherever the decoder
    // of another family put them (Gemini's function responses come in user turns).
    for (const ir::ContentPart &part : message.parts) {
        if (part.kind == Kind::ToolResult)
            out->append(toolResultMessage(part));
        else if (part.kind == Kind::Text || part.kind == Kind::Image)
            rest.append(part);
    }
    if (rest.isEmpty())
        return;
    const QString role = message.role == ir::Role::System ? u"system"_s : u"user"_s;
    out->append(QJsonObject{{u"role"_s, role}, {u"content"_s, textOrParts(rest)}});
}

} // namespace

std::optional<ir::ChatRequest> OpenAiChatCodec::decodeRequest(QByteArrayView body, Error *error) const
{
    JsonFieldReader r(error);
    const auto object = parseObject(body);
    if (!object) {
        r.fail({}, u"The request body must be a JSON object."_s);
        return std::nullopt;
    }
    const QJsonObject &o = *object;
    ir::ChatRequest request;

    const auto model = r.requiredString(o, "model"_L1, {});
    const auto messages = r.requiredArray(o, "messages"_L1, {});
    if (r.failed())
        return std::nullopt;
    request.model = *model;
    if (!decodeMessages(*messages, r, &request))
        return std::nullopt;
    ToolCallIds::nameResults(&request.messages);

    if (const auto tools = r.array(o, "tools"_L1, {}); tools && !decodeTools(*tools, r, &request))
        return std::nullopt;
    if (!decodeToolChoice(o.value("tool_choice"_L1), r, &request))
        return std::nullopt;
    request.parallelToolCalls = r.boolean(o, "parallel_tool_calls"_L1, {}).value_or(true);
    request.temperature = r.number(o, "temperature"_L1, {});
    request.topP = r.number(o, "top_p"_L1, {});
    // max_tokens is the older name; when both are sent the newer one counts.
    const auto maxTokens = r.integer(o, "max_tokens"_L1, {});
    const auto maxCompletionTokens = r.integer(o, "max_completion_tokens"_L1, {});
    request.maxTokens = maxCompletionTokens ? maxCompletionTokens : maxTokens;
    if (!decodeStop(o.value("stop"_L1), r, &request.stop))
        return std::nullopt;
    request.stream = r.boolean(o, "stream"_L1, {}).value_or(false);
    if (const auto options = r.object(o, "stream_options"_L1, {}))
        request.includeUsage = r.boolean(*options, "include_usage"_L1, u"stream_options"_s).value_or(false);
    if (const auto format = r.object(o, "response_format"_L1, {}); format && !decodeResponseFormat(*format, r, &request))
        return std::nullopt;
    request.presencePenalty = r.number(o, "presence_penalty"_L1, {});
    request.frequencyPenalty = r.number(o, "frequency_penalty"_L1, {});
    request.seed = r.integer(o, "seed"_L1, {});
    // safety_identifier is the newer name for the end-user id.
    request.user = r.string(o, "user"_L1, {}).value_or(r.string(o, "safety_identifier"_L1, {}).value_or(QString()));
    if (const auto n = r.integer(o, "n"_L1, {})) {
        if (*n < 1 || *n > 128) {
            r.invalidValue(u"n"_s, u"expected an integer from 1 to 128."_s);
            return std::nullopt;
        }
        request.candidateCount = int(*n);
    }
    if (!noteUntranslatable(o, r, &request))
        return std::nullopt;
    // service_tier, store, metadata, prompt_cache_key and the rest of
    // stream_options mean nothing to another family's upstream: dropped.
    if (r.failed())
        return std::nullopt;
    return request;
}

std::optional<QByteArray> OpenAiChatCodec::encodeRequest(const ir::ChatRequest &request, const QString &upstreamModel,
                                                         Error *error) const
{
    JsonFieldReader r(error);
    if (request.topK) {
        r.fail(u"top_k"_s, u"OpenAI upstreams have no top_k sampling; leave it out for this model."_s);
        return std::nullopt;
    }
    QJsonObject out{{u"model"_s, upstreamModel}};

    QList<ir::Message> messages = request.messages;
    ToolCallIds::fillMissing(&messages, u"call_"_s);
    QJsonArray wire;
    if (!request.system.isEmpty())
        wire.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, textOrParts(request.system)}});
    for (const ir::Message &message : std::as_const(messages))
        encodeMessage(message, &wire);
    out.insert(u"messages"_s, wire);

    if (!request.tools.isEmpty()) {
        QJsonArray tools;
        for (const ir::Tool &tool : request.tools) {
            QJsonObject function{{u"name"_s, tool.name}};
            if (!tool.description.isEmpty())
                function.insert(u"description"_s, tool.description);
            if (!tool.parameters.isEmpty())
                function.insert(u"parameters"_s, tool.parameters);
            tools.append(QJsonObject{{u"type"_s, u"function"_s}, {u"function"_s, function}});
        }
        out.insert(u"tools"_s, tools);
        // OpenAI refuses tool_choice and parallel_tool_calls without tools.
        if (request.toolChoice) {
            switch (request.toolChoice->mode) {
            case ir::ToolChoice::Mode::Auto:
                out.insert(u"tool_choice"_s, u"auto"_s);
                break;
            case ir::ToolChoice::Mode::None:
                out.insert(u"tool_choice"_s, u"none"_s);
                break;
            case ir::ToolChoice::Mode::Required:
                out.insert(u"tool_choice"_s, u"required"_s);
                break;
            case ir::ToolChoice::Mode::Named:
                out.insert(u"tool_choice"_s, QJsonObject{{u"type"_s, u"function"_s},
                                                         {u"function"_s, QJsonObject{{u"name"_s, request.toolChoice->name}}}});
                break;
            }
        }
        if (!request.parallelToolCalls)
            out.insert(u"parallel_tool_calls"_s, false);
    }
    if (request.temperature)
        out.insert(u"temperature"_s, *request.temperature);
    if (request.topP)
        out.insert(u"top_p"_s, *request.topP);
    if (request.maxTokens)
        out.insert(u"max_tokens"_s, *request.maxTokens);
    if (!request.stop.isEmpty())
        out.insert(u"stop"_s, QJsonArray::fromStringList(request.stop));
    if (request.stream) {
        // Always: the gateway bills from the upstream's usage.
        out.insert(u"stream"_s, true);
        out.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    }
    switch (request.responseFormat) {
    case ir::ResponseFormat::Text:
        break;
    case ir::ResponseFormat::JsonObject:
        out.insert(u"response_format"_s, QJsonObject{{u"type"_s, u"json_object"_s}});
        break;
    case ir::ResponseFormat::JsonSchema:
        out.insert(u"response_format"_s,
                   QJsonObject{{u"type"_s, u"json_schema"_s}, {u"json_schema"_s, request.jsonSchema}});
        break;
    }
    if (request.presencePenalty)
        out.insert(u"presence_penalty"_s, *request.presencePenalty);
    if (request.frequencyPenalty)
        out.insert(u"frequency_penalty"_s, *request.frequencyPenalty);
    if (request.seed)
        out.insert(u"seed"_s, *request.seed);
    if (!request.user.isEmpty())
        out.insert(u"user"_s, request.user);
    if (request.candidateCount > 1)
        out.insert(u"n"_s, request.candidateCount);
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

std::optional<ir::ChatResponse> OpenAiChatCodec::decodeResponse(QByteArrayView body) const
{
    const auto object = parseObject(body);
    if (!object || !object->value("choices"_L1).isArray())
        return std::nullopt;
    const QJsonObject &o = *object;
    ir::ChatResponse response;
    response.id = o.value("id"_L1).toString();
    response.model = o.value("model"_L1).toString();
    response.createdSeconds = o.value("created"_L1).toInteger();
    response.stopReason = ir::StopReason::Unknown;

    const QJsonArray choices = o.value("choices"_L1).toArray();
    for (const QJsonValue &c : choices) {
        const QJsonObject choice = c.toObject();
        // Only the first choice is translated: the other families have one answer.
        if (choice.value("index"_L1).toInt(0) != 0)
            continue;
        const QJsonObject message = choice.value("message"_L1).toObject();
        QString reasoning = message.value("reasoning_content"_L1).toString();
        if (reasoning.isEmpty())
            reasoning = message.value("reasoning"_L1).toString();
        if (!reasoning.isEmpty()) {
            ir::ContentPart thinking;
            thinking.kind = Kind::Thinking;
            thinking.text = reasoning;
            response.content.append(thinking);
        }
        const QJsonValue content = message.value("content"_L1);
        if (content.isString() && !content.toString().isEmpty()) {
            response.content.append(ir::ContentPart::textPart(content.toString()));
        } else if (content.isArray()) {
            for (const QJsonValue &part : content.toArray()) {
                const QString text = part.toObject().value("text"_L1).toString();
                if (!text.isEmpty())
                    response.content.append(ir::ContentPart::textPart(text));
            }
        }
        const QString refusal = message.value("refusal"_L1).toString();
        if (!refusal.isEmpty())
            response.content.append(ir::ContentPart::textPart(refusal));
        for (const QJsonValue &c2 : message.value("tool_calls"_L1).toArray()) {
            const QJsonObject call = c2.toObject();
            const QJsonObject function = call.value("function"_L1).toObject();
            ir::ContentPart part;
            part.kind = Kind::ToolCall;
            part.toolCallId = call.value("id"_L1).toString();
            part.toolName = function.value("name"_L1).toString();
            part.toolArguments = OpenAiChatJson::argumentsFromString(function.value("arguments"_L1).toString());
            response.content.append(part);
        }
        response.stopReason = StopReasons::fromOpenAi(choice.value("finish_reason"_L1).toString());
        break;
    }
    if (o.value("usage"_L1).isObject())
        response.usage = OpenAiChatJson::usageFromJson(o.value("usage"_L1).toObject());
    return response;
}

QString OpenAiChatCodec::decodeErrorMessage(QByteArrayView body) const
{
    const auto object = parseObject(body);
    if (!object)
        return {};
    const QJsonValue error = object->value("error"_L1);
    if (error.isString())
        return error.toString();
    return error.toObject().value("message"_L1).toString();
}

QByteArray OpenAiChatCodec::encodeResponse(const ir::ChatResponse &response, const QString &publicModel) const
{
    QString text;
    QString reasoning;
    QJsonArray calls;
    int callIndex = 0;
    for (const ir::ContentPart &part : response.content) {
        switch (part.kind) {
        case Kind::Text:
            text += part.text;
            break;
        case Kind::Thinking:
            reasoning += part.text;
            break;
        case Kind::ToolCall: {
            ir::ContentPart call = part;
            if (call.toolCallId.isEmpty())
                call.toolCallId = ToolCallIds::synthesize(u"call_"_s, callIndex);
            calls.append(toolCallJson(call));
            ++callIndex;
            break;
        }
        case Kind::Image:
        case Kind::ToolResult:
            break;
        }
    }
    QJsonObject message{{u"role"_s, u"assistant"_s}};
    message.insert(u"content"_s, text.isEmpty() && !calls.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text));
    // Not OpenAI's own field, but the one OpenAI-compatible reasoning models
    // (DeepSeek, vLLM, ...) use, which clients already read.
    if (!reasoning.isEmpty())
        message.insert(u"reasoning_content"_s, reasoning);
    if (!calls.isEmpty())
        message.insert(u"tool_calls"_s, calls);

    QJsonObject out{
        {u"id"_s, response.id.isEmpty() ? OpenAiChatJson::newCompletionId() : response.id},
        {u"object"_s, u"chat.completion"_s},
        {u"created"_s, response.createdSeconds > 0 ? response.createdSeconds : QDateTime::currentSecsSinceEpoch()},
        {u"model"_s, publicModel},
        {u"choices"_s,
         QJsonArray{QJsonObject{
             {u"index"_s, 0},
             {u"message"_s, message},
             {u"logprobs"_s, QJsonValue(QJsonValue::Null)},
             {u"finish_reason"_s, StopReasons::toOpenAi(response.stopReason)},
         }}},
    };
    if (response.usage.present)
        out.insert(u"usage"_s, OpenAiChatJson::usageToJson(response.usage));
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

std::unique_ptr<ChatCodec::StreamDecoder> OpenAiChatCodec::streamDecoder() const
{
    return std::make_unique<OpenAiStreamDecoder>();
}

std::unique_ptr<ChatCodec::StreamEncoder> OpenAiChatCodec::streamEncoder(const QString &publicModel, bool includeUsage,
                                                                         bool sse) const
{
    Q_UNUSED(sse); // OpenAI streams are always server-sent events
    return std::make_unique<OpenAiStreamEncoder>(publicModel, includeUsage);
}

} // namespace gw
