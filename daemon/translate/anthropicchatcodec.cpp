#include "anthropicchatcodec.h"

#include "anthropicchatjson.h"
#include "anthropicstreamdecoder.h"
#include "anthropicstreamencoder.h"
#include "dataurl.h"
#include "jsonfieldreader.h"
#include "stopreasons.h"
#include "toolcallids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

using namespace Qt::StringLiterals;

namespace gw {

namespace {

using Kind = ir::ContentPart::Kind;

// Without max_tokens Anthropic refuses the call; callers of the other
// families may leave it out.
constexpr qint64 DefaultMaxTokens = 4096;

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

bool decodeImage(const QJsonObject &block, const QString &path, JsonFieldReader &r, QList<ir::ContentPart> *out,
                 QStringList *untranslatable)
{
    const auto source = r.requiredObject(block, "source"_L1, path);
    if (!source)
        return false;
    const QString sourcePath = JsonFieldReader::path(path, "source"_L1);
    const auto type = r.requiredString(*source, "type"_L1, sourcePath);
    if (!type)
        return false;
    ir::ContentPart image;
    image.kind = Kind::Image;
    if (*type == "base64"_L1) {
        const auto mediaType = r.requiredString(*source, "media_type"_L1, sourcePath);
        const auto data = r.requiredString(*source, "data"_L1, sourcePath);
        if (r.failed())
            return false;
        image.mediaType = *mediaType;
        image.imageBase64 = data->toLatin1();
    } else if (*type == "url"_L1) {
        const auto url = r.requiredString(*source, "url"_L1, sourcePath);
        if (!url)
            return false;
        image.imageUrl = *url;
    } else {
        // "file": a Files API id, which only Anthropic can resolve.
        addOnce(untranslatable, u"image %1 sources"_s.arg(*type));
        return true;
    }
    out->append(image);
    return true;
}

bool decodeToolResult(const QJsonObject &block, const QString &path, JsonFieldReader &r, QList<ir::ContentPart> *out,
                      QStringList *untranslatable)
{
    const auto id = r.requiredString(block, "tool_use_id"_L1, path);
    const auto isError = r.boolean(block, "is_error"_L1, path);
    if (r.failed())
        return false;
    ir::ContentPart result;
    result.kind = Kind::ToolResult;
    result.toolCallId = *id;
    result.toolError = isError.value_or(false);
    const QJsonValue content = block.value("content"_L1);
    const QString contentPath = JsonFieldReader::path(path, "content"_L1);
    if (content.isString()) {
        result.text = content.toString();
    } else if (content.isArray()) {
        const QJsonArray items = content.toArray();
        QStringList texts;
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString itemPath = JsonFieldReader::path(contentPath, i);
            const auto item = r.element(items, i, contentPath);
            if (!item)
                return false;
            const auto type = r.requiredString(*item, "type"_L1, itemPath);
            if (!type)
                return false;
            if (*type == "text"_L1) {
                const auto text = r.requiredString(*item, "text"_L1, itemPath);
                if (!text)
                    return false;
                texts.append(*text);
            } else {
                // The IR's tool results are text only.
                addOnce(untranslatable, u"%1 content in tool results"_s.arg(*type));
            }
        }
        result.text = texts.join(u'\n');
    } else if (!content.isUndefined() && !content.isNull()) {
        return r.wrongType(contentPath, u"a string or an array of content blocks"_s, content);
    }
    out->append(result);
    return true;
}

bool decodeBlocks(const QJsonValue &content, const QString &path, bool assistant, JsonFieldReader &r,
                  QList<ir::ContentPart> *out, QStringList *untranslatable)
{
    if (content.isString()) {
        out->append(ir::ContentPart::textPart(content.toString()));
        return true;
    }
    if (content.isUndefined() || content.isNull())
        return r.missing(path);
    if (!content.isArray())
        return r.wrongType(path, u"a string or an array of content blocks"_s, content);
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QString blockPath = JsonFieldReader::path(path, i);
        const auto block = r.element(blocks, i, path);
        if (!block)
            return false;
        const auto type = r.requiredString(*block, "type"_L1, blockPath);
        if (!type)
            return false;
        // cache_control on any block only steers Anthropic's prompt cache: dropped.
        if (*type == "text"_L1) {
            const auto text = r.requiredString(*block, "text"_L1, blockPath);
            if (!text)
                return false;
            out->append(ir::ContentPart::textPart(*text));
        } else if (*type == "image"_L1) {
            if (!decodeImage(*block, blockPath, r, out, untranslatable))
                return false;
        } else if (*type == "tool_use"_L1 && assistant) {
            const auto id = r.requiredString(*block, "id"_L1, blockPath);
            const auto name = r.requiredString(*block, "name"_L1, blockPath);
            const auto input = r.object(*block, "input"_L1, blockPath);
            if (r.failed())
                return false;
            ir::ContentPart call;
            call.kind = Kind::ToolCall;
            call.toolCallId = *id;
            call.toolName = *name;
            call.toolArguments = AnthropicChatJson::argumentsFromInput(input.value_or(QJsonObject()));
            out->append(call);
        } else if (*type == "tool_result"_L1 && !assistant) {
            if (!decodeToolResult(*block, blockPath, r, out, untranslatable))
                return false;
        } else if (*type == "thinking"_L1 && assistant) {
            const auto thinking = r.requiredString(*block, "thinking"_L1, blockPath);
            const auto signature = r.string(*block, "signature"_L1, blockPath);
            if (r.failed())
                return false;
            ir::ContentPart part;
            part.kind = Kind::Thinking;
            part.text = *thinking;
            part.signature = signature.value_or(QString()).toLatin1();
            out->append(part);
        } else if (*type == "redacted_thinking"_L1 && assistant) {
            const auto data = r.requiredString(*block, "data"_L1, blockPath);
            if (!data)
                return false;
            ir::ContentPart part;
            part.kind = Kind::Thinking;
            part.redacted = true;
            part.signature = data->toLatin1();
            out->append(part);
        } else if (*type == "tool_use"_L1 || *type == "tool_result"_L1 || *type == "thinking"_L1
                   || *type == "redacted_thinking"_L1) {
            return r.invalidValue(JsonFieldReader::path(blockPath, "type"_L1),
                                  u"'%1' blocks are not allowed in %2 messages."_s.arg(*type,
                                                                                      assistant ? u"assistant"_s : u"user"_s));
        } else {
            // document, search_result, server tool blocks, container uploads,
            // and whatever comes next: meaning the IR has no place for.
            addOnce(untranslatable, *type + " content"_L1);
        }
    }
    return true;
}

bool decodeSystem(const QJsonValue &system, JsonFieldReader &r, QList<ir::ContentPart> *out)
{
    const QString path = u"system"_s;
    if (system.isUndefined() || system.isNull())
        return true;
    if (system.isString()) {
        if (!system.toString().isEmpty())
            out->append(ir::ContentPart::textPart(system.toString()));
        return true;
    }
    if (!system.isArray())
        return r.wrongType(path, u"a string or an array of text blocks"_s, system);
    const QJsonArray blocks = system.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QString blockPath = JsonFieldReader::path(path, i);
        const auto block = r.element(blocks, i, path);
        if (!block)
            return false;
        const auto type = r.requiredString(*block, "type"_L1, blockPath);
        if (!type)
            return false;
        if (*type != "text"_L1)
            return r.invalidValue(JsonFieldReader::path(blockPath, "type"_L1), u"system blocks must be text."_s);
        const auto text = r.requiredString(*block, "text"_L1, blockPath);
        if (!text)
            return false;
        out->append(ir::ContentPart::textPart(*text));
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
        const bool assistant = *role == "assistant"_L1;
        if (!assistant && *role != "user"_L1)
            return r.invalidValue(JsonFieldReader::path(path, "role"_L1),
                                  u"expected 'user' or 'assistant', but got '%1'."_s.arg(*role));
        QList<ir::ContentPart> parts;
        if (!decodeBlocks(message->value("content"_L1), JsonFieldReader::path(path, "content"_L1), assistant, r, &parts,
                          &request->untranslatable))
            return false;
        if (assistant) {
            request->messages.append(ir::Message{ir::Role::Assistant, parts});
            continue;
        }
        // A user turn carries the tool results of the assistant turn before
        // it: in the IR they are a Tool message of their own, before the
        // rest of the turn.
        ir::Message results{ir::Role::Tool, {}};
        ir::Message user{ir::Role::User, {}};
        for (const ir::ContentPart &part : std::as_const(parts))
            (part.kind == Kind::ToolResult ? results : user).parts.append(part);
        if (!results.parts.isEmpty())
            request->messages.append(results);
        if (!user.parts.isEmpty() || results.parts.isEmpty())
            request->messages.append(user);
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
        if (type && *type != "custom"_L1) {
            // Anthropic-defined tools (web_search_20250305, bash_20250124, ...).
            addOnce(&request->untranslatable, *type + " tools"_L1);
            continue;
        }
        const auto name = r.requiredString(*tool, "name"_L1, path);
        const auto description = r.string(*tool, "description"_L1, path);
        const auto schema = r.requiredObject(*tool, "input_schema"_L1, path);
        if (r.failed())
            return false;
        request->tools.append(ir::Tool{*name, description.value_or(QString()), *schema});
    }
    return true;
}

bool decodeToolChoice(const QJsonObject &choice, JsonFieldReader &r, ir::ChatRequest *request)
{
    const QString path = u"tool_choice"_s;
    const auto type = r.requiredString(choice, "type"_L1, path);
    const auto disableParallel = r.boolean(choice, "disable_parallel_tool_use"_L1, path);
    if (r.failed())
        return false;
    ir::ToolChoice out;
    if (*type == "auto"_L1) {
        out.mode = ir::ToolChoice::Mode::Auto;
    } else if (*type == "any"_L1) {
        out.mode = ir::ToolChoice::Mode::Required;
    } else if (*type == "none"_L1) {
        out.mode = ir::ToolChoice::Mode::None;
    } else if (*type == "tool"_L1) {
        const auto name = r.requiredString(choice, "name"_L1, path);
        if (!name)
            return false;
        out.mode = ir::ToolChoice::Mode::Named;
        out.name = *name;
    } else {
        return r.invalidValue(JsonFieldReader::path(path, "type"_L1),
                              u"expected 'auto', 'any', 'tool' or 'none', but got '%1'."_s.arg(*type));
    }
    request->toolChoice = out;
    request->parallelToolCalls = !disableParallel.value_or(false);
    return true;
}

bool decodeStopSequences(const QJsonArray &items, JsonFieldReader &r, QStringList *stop)
{
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isString())
            return r.wrongType(JsonFieldReader::path(u"stop_sequences"_s, i), u"a string"_s, items.at(i));
        stop->append(items.at(i).toString());
    }
    return true;
}

// --- encoding ---

std::optional<QJsonObject> encodeBlock(const ir::ContentPart &part, const QString &path, JsonFieldReader &r)
{
    switch (part.kind) {
    case Kind::Text:
        // Anthropic refuses empty text blocks.
        if (part.text.isEmpty())
            return QJsonObject();
        return QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, part.text}};
    case Kind::Image: {
        QString mediaType = part.mediaType;
        QByteArray data = part.imageBase64;
        if (!part.imageUrl.isEmpty()) {
            const auto dataUrl = DataUrl::parse(part.imageUrl);
            if (!dataUrl)
                return QJsonObject{{u"type"_s, u"image"_s},
                                   {u"source"_s, QJsonObject{{u"type"_s, u"url"_s}, {u"url"_s, part.imageUrl}}}};
            mediaType = dataUrl->mediaType;
            data = dataUrl->base64;
        }
        return QJsonObject{{u"type"_s, u"image"_s},
                           {u"source"_s, QJsonObject{{u"type"_s, u"base64"_s},
                                                     {u"media_type"_s, mediaType},
                                                     {u"data"_s, QString::fromLatin1(data)}}}};
    }
    case Kind::ToolCall: {
        const auto input = AnthropicChatJson::inputFromArguments(part.toolArguments);
        if (!input) {
            r.invalidValue(path, u"the arguments of tool call '%1' are not a JSON object, which Anthropic requires."_s.arg(
                                     part.toolCallId));
            return std::nullopt;
        }
        return QJsonObject{{u"type"_s, u"tool_use"_s},
                           {u"id"_s, part.toolCallId},
                           {u"name"_s, part.toolName},
                           {u"input"_s, *input}};
    }
    case Kind::ToolResult: {
        QJsonObject block{{u"type"_s, u"tool_result"_s}, {u"tool_use_id"_s, part.toolCallId}};
        if (!part.text.isEmpty())
            block.insert(u"content"_s, part.text);
        if (part.toolError)
            block.insert(u"is_error"_s, true);
        return block;
    }
    case Kind::Thinking:
        if (part.redacted)
            return QJsonObject{{u"type"_s, u"redacted_thinking"_s}, {u"data"_s, QString::fromLatin1(part.signature)}};
        // Anthropic checks the signature of every thinking block sent back;
        // reasoning another family produced has none and is left out (it is
        // the model's own earlier output, not the caller's input).
        if (part.signature.isEmpty())
            return QJsonObject();
        return QJsonObject{{u"type"_s, u"thinking"_s},
                           {u"thinking"_s, part.text},
                           {u"signature"_s, QString::fromLatin1(part.signature)}};
    }
    return QJsonObject();
}

QJsonValue contentValue(const QJsonArray &blocks)
{
    if (blocks.size() == 1 && blocks.first().toObject().value("type"_L1) == "text"_L1)
        return blocks.first().toObject().value("text"_L1);
    return blocks;
}

QJsonValue systemValue(const QList<ir::ContentPart> &parts)
{
    QJsonArray blocks;
    for (const ir::ContentPart &part : parts) {
        if (part.kind == Kind::Text && !part.text.isEmpty())
            blocks.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, part.text}});
    }
    return contentValue(blocks);
}

} // namespace

std::optional<ir::ChatRequest> AnthropicChatCodec::decodeRequest(QByteArrayView body, Error *error) const
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
    if (!decodeSystem(o.value("system"_L1), r, &request.system))
        return std::nullopt;
    if (!decodeMessages(*messages, r, &request))
        return std::nullopt;
    ToolCallIds::nameResults(&request.messages);
    if (const auto tools = r.array(o, "tools"_L1, {}); tools && !decodeTools(*tools, r, &request))
        return std::nullopt;
    if (const auto choice = r.object(o, "tool_choice"_L1, {}); choice && !decodeToolChoice(*choice, r, &request))
        return std::nullopt;
    request.maxTokens = r.integer(o, "max_tokens"_L1, {});
    request.temperature = r.number(o, "temperature"_L1, {});
    request.topP = r.number(o, "top_p"_L1, {});
    if (const auto topK = r.integer(o, "top_k"_L1, {}))
        request.topK = int(qBound<qint64>(0, *topK, qint64(std::numeric_limits<int>::max())));
    if (const auto stop = r.array(o, "stop_sequences"_L1, {}); stop && !decodeStopSequences(*stop, r, &request.stop))
        return std::nullopt;
    request.stream = r.boolean(o, "stream"_L1, {}).value_or(false);
    // A streaming Anthropic call always reports usage (message_start, message_delta).
    request.includeUsage = request.stream;
    if (const auto metadata = r.object(o, "metadata"_L1, {}))
        request.user = r.string(*metadata, "user_id"_L1, u"metadata"_s).value_or(QString());

    if (const auto thinking = r.object(o, "thinking"_L1, {})) {
        if (r.string(*thinking, "type"_L1, u"thinking"_s).value_or(QString()) != "disabled"_L1)
            addOnce(&request.untranslatable, u"thinking"_s);
    }
    const QJsonValue container = o.value("container"_L1);
    if (!container.isUndefined() && !container.isNull())
        addOnce(&request.untranslatable, u"container"_s);
    if (const auto servers = r.array(o, "mcp_servers"_L1, {}); servers && !servers->isEmpty())
        addOnce(&request.untranslatable, u"mcp_servers"_s);
    if (r.object(o, "context_management"_L1, {}))
        addOnce(&request.untranslatable, u"context_management"_s);
    // service_tier and the rest of metadata mean nothing elsewhere: dropped.
    if (r.failed())
        return std::nullopt;
    return request;
}

std::optional<QByteArray> AnthropicChatCodec::encodeRequest(const ir::ChatRequest &request, const QString &upstreamModel,
                                                            Error *error) const
{
    JsonFieldReader r(error);
    if (request.responseFormat != ir::ResponseFormat::Text) {
        r.fail(u"response_format"_s,
               u"Anthropic upstreams have no JSON mode (response_format %1); ask for JSON in the prompt instead."_s.arg(
                   request.responseFormat == ir::ResponseFormat::JsonObject ? u"json_object"_s : u"json_schema"_s));
        return std::nullopt;
    }
    if (request.candidateCount > 1) {
        r.fail(u"n"_s, u"Anthropic upstreams return a single choice; n must be 1."_s);
        return std::nullopt;
    }
    QStringList unsupported;
    if (request.presencePenalty)
        unsupported.append(u"presence_penalty"_s);
    if (request.frequencyPenalty)
        unsupported.append(u"frequency_penalty"_s);
    if (request.seed)
        unsupported.append(u"seed"_s);
    if (!unsupported.isEmpty()) {
        r.fail(unsupported.first(), u"Anthropic upstreams do not support %1."_s.arg(unsupported.join(u", "_s)));
        return std::nullopt;
    }

    QJsonObject out{{u"model"_s, upstreamModel}, {u"max_tokens"_s, request.maxTokens.value_or(DefaultMaxTokens)}};

    QList<ir::ContentPart> system = request.system;
    QList<ir::Message> messages = request.messages;
    ToolCallIds::fillMissing(&messages, u"toolu_"_s);

    // Anthropic wants user and assistant turns alternating, with the tool
    // results of an assistant turn first in the user turn after it.
    struct Turn
    {
        bool assistant = false;
        QJsonArray results;
        QJsonArray blocks;
    };
    QList<Turn> turns;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const ir::Message &message = messages.at(i);
        if (message.role == ir::Role::System) {
            system += message.parts;
            continue;
        }
        const bool assistant = message.role == ir::Role::Assistant;
        if (turns.isEmpty() || turns.last().assistant != assistant)
            turns.append(Turn{assistant, {}, {}});
        Turn &turn = turns.last();
        const QString path = JsonFieldReader::path(u"messages"_s, i);
        for (const ir::ContentPart &part : message.parts) {
            const auto block = encodeBlock(part, path, r);
            if (!block)
                return std::nullopt;
            if (block->isEmpty())
                continue;
            (part.kind == Kind::ToolResult ? turn.results : turn.blocks).append(*block);
        }
    }
    QJsonArray wire;
    for (const Turn &turn : std::as_const(turns)) {
        QJsonArray content = turn.results;
        for (const QJsonValue &block : turn.blocks)
            content.append(block);
        wire.append(QJsonObject{{u"role"_s, turn.assistant ? u"assistant"_s : u"user"_s}, {u"content"_s, contentValue(content)}});
    }
    if (const QJsonValue value = systemValue(system); value.isString() || !value.toArray().isEmpty())
        out.insert(u"system"_s, value);
    out.insert(u"messages"_s, wire);

    if (!request.tools.isEmpty()) {
        QJsonArray tools;
        for (const ir::Tool &tool : request.tools) {
            QJsonObject t{{u"name"_s, tool.name}};
            if (!tool.description.isEmpty())
                t.insert(u"description"_s, tool.description);
            // input_schema is required; a function without parameters takes an empty object.
            t.insert(u"input_schema"_s, tool.parameters.isEmpty()
                                            ? QJsonObject{{u"type"_s, u"object"_s}, {u"properties"_s, QJsonObject()}}
                                            : tool.parameters);
            tools.append(t);
        }
        out.insert(u"tools"_s, tools);
        if (request.toolChoice || !request.parallelToolCalls) {
            QJsonObject choice{{u"type"_s, u"auto"_s}};
            if (request.toolChoice) {
                switch (request.toolChoice->mode) {
                case ir::ToolChoice::Mode::Auto:
                    break;
                case ir::ToolChoice::Mode::None:
                    choice.insert(u"type"_s, u"none"_s);
                    break;
                case ir::ToolChoice::Mode::Required:
                    choice.insert(u"type"_s, u"any"_s);
                    break;
                case ir::ToolChoice::Mode::Named:
                    choice.insert(u"type"_s, u"tool"_s);
                    choice.insert(u"name"_s, request.toolChoice->name);
                    break;
                }
            }
            if (!request.parallelToolCalls && choice.value("type"_L1) != "none"_L1)
                choice.insert(u"disable_parallel_tool_use"_s, true);
            out.insert(u"tool_choice"_s, choice);
        }
    }
    if (request.temperature)
        out.insert(u"temperature"_s, *request.temperature);
    if (request.topP)
        out.insert(u"top_p"_s, *request.topP);
    if (request.topK)
        out.insert(u"top_k"_s, *request.topK);
    if (!request.stop.isEmpty())
        out.insert(u"stop_sequences"_s, QJsonArray::fromStringList(request.stop));
    if (request.stream)
        out.insert(u"stream"_s, true);
    if (!request.user.isEmpty())
        out.insert(u"metadata"_s, QJsonObject{{u"user_id"_s, request.user}});
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

std::optional<ir::ChatResponse> AnthropicChatCodec::decodeResponse(QByteArrayView body) const
{
    const auto object = parseObject(body);
    if (!object || !object->value("content"_L1).isArray())
        return std::nullopt;
    const QJsonObject &o = *object;
    ir::ChatResponse response;
    response.id = o.value("id"_L1).toString();
    response.model = o.value("model"_L1).toString();
    for (const QJsonValue &b : o.value("content"_L1).toArray()) {
        const QJsonObject block = b.toObject();
        const QString type = block.value("type"_L1).toString();
        ir::ContentPart part;
        if (type == "text"_L1) {
            part.text = block.value("text"_L1).toString();
        } else if (type == "thinking"_L1) {
            part.kind = Kind::Thinking;
            part.text = block.value("thinking"_L1).toString();
            part.signature = block.value("signature"_L1).toString().toLatin1();
        } else if (type == "redacted_thinking"_L1) {
            part.kind = Kind::Thinking;
            part.redacted = true;
            part.signature = block.value("data"_L1).toString().toLatin1();
        } else if (type == "tool_use"_L1) {
            part.kind = Kind::ToolCall;
            part.toolCallId = block.value("id"_L1).toString();
            part.toolName = block.value("name"_L1).toString();
            part.toolArguments = AnthropicChatJson::argumentsFromInput(block.value("input"_L1).toObject());
        } else {
            // Server tool blocks (server_tool_use, web_search_tool_result, ...)
            // are Anthropic's own doing: no other family has a place for them.
            continue;
        }
        response.content.append(part);
    }
    response.stopReason = StopReasons::fromAnthropic(o.value("stop_reason"_L1).toString());
    response.stopSequence = o.value("stop_sequence"_L1).toString();
    if (o.value("usage"_L1).isObject())
        response.usage = AnthropicChatJson::usageFromJson(o.value("usage"_L1).toObject());
    return response;
}

QString AnthropicChatCodec::decodeErrorMessage(QByteArrayView body) const
{
    const auto object = parseObject(body);
    if (!object)
        return {};
    const QJsonValue error = object->value("error"_L1);
    if (error.isString())
        return error.toString();
    return error.toObject().value("message"_L1).toString();
}

QByteArray AnthropicChatCodec::encodeResponse(const ir::ChatResponse &response, const QString &publicModel) const
{
    QJsonArray content;
    int calls = 0;
    for (const ir::ContentPart &part : response.content) {
        switch (part.kind) {
        case Kind::Text:
            if (!part.text.isEmpty())
                content.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, part.text}});
            break;
        case Kind::Thinking:
            if (part.redacted)
                content.append(QJsonObject{{u"type"_s, u"redacted_thinking"_s}, {u"data"_s, QString::fromLatin1(part.signature)}});
            else
                content.append(QJsonObject{{u"type"_s, u"thinking"_s},
                                           {u"thinking"_s, part.text},
                                           {u"signature"_s, QString::fromLatin1(part.signature)}});
            break;
        case Kind::ToolCall: {
            // An answer cannot be refused: arguments that are not an object
            // (a model cut short) become an empty input.
            const QJsonObject input = AnthropicChatJson::inputFromArguments(part.toolArguments).value_or(QJsonObject());
            content.append(QJsonObject{
                {u"type"_s, u"tool_use"_s},
                {u"id"_s, part.toolCallId.isEmpty() ? ToolCallIds::synthesize(u"toolu_"_s, calls) : part.toolCallId},
                {u"name"_s, part.toolName},
                {u"input"_s, input},
            });
            ++calls;
            break;
        }
        case Kind::Image:
        case Kind::ToolResult:
            break;
        }
    }
    const bool stopSequence = response.stopReason == ir::StopReason::StopSequence && !response.stopSequence.isEmpty();
    QJsonObject out{
        {u"id"_s, response.id.isEmpty() ? AnthropicChatJson::newMessageId() : response.id},
        {u"type"_s, u"message"_s},
        {u"role"_s, u"assistant"_s},
        {u"model"_s, publicModel},
        {u"content"_s, content},
        {u"stop_reason"_s, StopReasons::toAnthropic(response.stopReason)},
        {u"stop_sequence"_s, stopSequence ? QJsonValue(response.stopSequence) : QJsonValue(QJsonValue::Null)},
        {u"usage"_s, AnthropicChatJson::usageToJson(response.usage)},
    };
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

std::unique_ptr<ChatCodec::StreamDecoder> AnthropicChatCodec::streamDecoder() const
{
    return std::make_unique<AnthropicStreamDecoder>();
}

std::unique_ptr<ChatCodec::StreamEncoder> AnthropicChatCodec::streamEncoder(const QString &publicModel, bool includeUsage,
                                                                            bool sse) const
{
    // Anthropic streams are always server-sent events and always carry usage.
    Q_UNUSED(includeUsage);
    Q_UNUSED(sse);
    return std::make_unique<AnthropicStreamEncoder>(publicModel);
}

} // namespace gw
