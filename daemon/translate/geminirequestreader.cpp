#include "geminirequestreader.h"

#include "geminichatjson.h"
#include "geminischema.h"
#include "jsonfieldreader.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gw {

namespace {

using ir::ContentPart;

bool present(const QJsonObject &object, QLatin1String key)
{
    const auto it = object.constFind(key);
    return it != object.constEnd() && !it->isNull();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Any JSON value as compact text (QJsonDocument holds only arrays and objects).
QString compactValue(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

// The text of a functionResponse.response, mirroring how the writer wraps
// tool output: {"result": text} and {"error": text} unwrap to the text,
// anything else is the tool's own JSON object.
void readToolOutput(const QJsonObject &response, ContentPart *part)
{
    if (response.size() == 1) {
        const QString key = response.begin().key();
        const QJsonValue value = response.begin().value();
        if (key == "result"_L1 || key == "output"_L1 || key == "error"_L1) {
            part->toolError = key == "error"_L1;
            part->text = value.isString() ? value.toString() : compactValue(value);
            return;
        }
    }
    part->text = QString::fromUtf8(compact(response));
}

class Reader
{
public:
    explicit Reader(ChatCodec::Error *error) : m_json(error) {}

    std::optional<ir::ChatRequest> read(const QJsonObject &body)
    {
        if (!readContents(body) || !readSystem(body) || !readTools(body) || !readToolConfig(body)
            || !readGenerationConfig(body))
            return std::nullopt;
        // Context caches live in the caller's Gemini project: no other
        // upstream can see what they hold.
        if (present(body, "cachedContent"_L1))
            untranslatable(u"cachedContent"_s);
        // safetySettings are dropped: the other families have no per-category
        // thresholds to carry them to, and apply their own policies anyway.
        return m_request;
    }

private:
    void untranslatable(const QString &name)
    {
        if (!m_request.untranslatable.contains(name))
            m_request.untranslatable.append(name);
    }

    // A string array; false (with the error) when an element is not a string.
    bool strings(const QJsonObject &in, QLatin1String key, const QString &parent, QStringList *out)
    {
        const auto array = m_json.array(in, key, parent);
        if (m_json.failed())
            return false;
        if (!array)
            return true;
        const QString path = JsonFieldReader::path(parent, key);
        for (qsizetype i = 0; i < array->size(); ++i) {
            if (!array->at(i).isString())
                return m_json.wrongType(JsonFieldReader::path(path, i), u"a string"_s, array->at(i));
            out->append(array->at(i).toString());
        }
        return true;
    }

    bool readContents(const QJsonObject &body)
    {
        const auto contents = m_json.requiredArray(body, "contents"_L1, {});
        if (!contents)
            return false;
        for (qsizetype i = 0; i < contents->size(); ++i) {
            const QString path = JsonFieldReader::path(u"contents"_s, i);
            const auto content = m_json.element(*contents, i, u"contents"_s);
            if (!content || !readContent(*content, path))
                return false;
        }
        return true;
    }

    bool readContent(const QJsonObject &content, const QString &path)
    {
        const QString role = m_json.string(content, "role"_L1, path).value_or(u"user"_s);
        const auto parts = m_json.array(content, "parts"_L1, path);
        if (m_json.failed())
            return false;
        // "function" is how early Gemini versions marked function responses.
        if (role != "user"_L1 && role != "model"_L1 && role != "function"_L1)
            return m_json.invalidValue(JsonFieldReader::path(path, "role"_L1), u"must be \"user\" or \"model\"."_s);
        const bool model = role == "model"_L1;

        // A user turn that answers function calls becomes a tool turn with
        // the function responses, then a user turn with the rest, as the
        // Anthropic decoder splits its turns: the other families want the
        // results right after the calls.
        ir::Message turn{model ? ir::Role::Assistant : ir::Role::User, {}};
        ir::Message results{ir::Role::Tool, {}};
        const QString partsPath = JsonFieldReader::path(path, "parts"_L1);
        for (qsizetype j = 0; parts && j < parts->size(); ++j) {
            const auto in = m_json.element(*parts, j, partsPath);
            std::optional<ContentPart> part;
            if (!in || !readPart(*in, JsonFieldReader::path(partsPath, j), model, &part))
                return false;
            if (part)
                (part->kind == ContentPart::Kind::ToolResult ? results : turn).parts.append(*part);
        }
        if (!results.parts.isEmpty())
            m_request.messages.append(results);
        if (!turn.parts.isEmpty())
            m_request.messages.append(turn);
        return true;
    }

    bool readPart(const QJsonObject &in, const QString &path, bool model, std::optional<ContentPart> *out)
    {
        const bool thought = m_json.boolean(in, "thought"_L1, path).value_or(false);
        const QString signature = m_json.string(in, "thoughtSignature"_L1, path).value_or(QString());
        if (m_json.failed())
            return false;
        if (present(in, "text"_L1)) {
            ContentPart part;
            part.text = m_json.string(in, "text"_L1, path).value_or(QString());
            if (m_json.failed())
                return false;
            if (thought) {
                part.kind = ContentPart::Kind::Thinking;
                part.signature = signature.toLatin1();
            }
            *out = part;
            return true;
        }
        if (present(in, "inlineData"_L1))
            return readInlineData(in, path, out);
        if (present(in, "fileData"_L1))
            return readFileData(in, path, out);
        if (present(in, "functionCall"_L1))
            return readFunctionCall(in, path, model, out);
        if (present(in, "functionResponse"_L1))
            return readFunctionResponse(in, path, model, out);
        // Code execution parts, and any part kind newer than this reader:
        // their content is meaningful and has no IR form.
        bool data = false;
        for (auto it = in.begin(); it != in.end(); ++it) {
            if (it.key() == "thought"_L1 || it.key() == "thoughtSignature"_L1 || it.key() == "videoMetadata"_L1
                || it.key() == "mediaResolution"_L1 || it->isNull())
                continue;
            untranslatable(it.key());
            data = true;
        }
        // A part with only a signature is how Gemini ends some answers.
        if (!data && signature.isEmpty())
            return m_json.invalidValue(path, u"a part needs text, inlineData, fileData, functionCall or functionResponse."_s);
        return true;
    }

    bool readInlineData(const QJsonObject &in, const QString &path, std::optional<ContentPart> *out)
    {
        const auto data = m_json.object(in, "inlineData"_L1, path);
        const QString dataPath = JsonFieldReader::path(path, "inlineData"_L1);
        const auto mimeType = data ? m_json.requiredString(*data, "mimeType"_L1, dataPath) : std::nullopt;
        const auto base64 = data ? m_json.requiredString(*data, "data"_L1, dataPath) : std::nullopt;
        if (m_json.failed())
            return false;
        if (!mimeType->startsWith("image/"_L1)) {
            // Audio, video and documents: the IR carries images only.
            untranslatable(u"inlineData"_s);
            return true;
        }
        ContentPart part;
        part.kind = ContentPart::Kind::Image;
        part.mediaType = *mimeType;
        part.imageBase64 = base64->toLatin1();
        *out = part;
        return true;
    }

    bool readFileData(const QJsonObject &in, const QString &path, std::optional<ContentPart> *out)
    {
        const auto data = m_json.object(in, "fileData"_L1, path);
        const QString dataPath = JsonFieldReader::path(path, "fileData"_L1);
        const auto mimeType = data ? m_json.string(*data, "mimeType"_L1, dataPath) : std::nullopt;
        const auto uri = data ? m_json.requiredString(*data, "fileUri"_L1, dataPath) : std::nullopt;
        if (m_json.failed())
            return false;
        if (!mimeType.value_or(QString()).startsWith("image/"_L1)) {
            untranslatable(u"fileData"_s);
            return true;
        }
        ContentPart part;
        part.kind = ContentPart::Kind::Image;
        part.mediaType = *mimeType;
        part.imageUrl = *uri;
        *out = part;
        return true;
    }

    bool readFunctionCall(const QJsonObject &in, const QString &path, bool model, std::optional<ContentPart> *out)
    {
        const QString callPath = JsonFieldReader::path(path, "functionCall"_L1);
        const auto call = m_json.object(in, "functionCall"_L1, path);
        if (!call)
            return false;
        if (!model)
            return m_json.invalidValue(callPath, u"a function call can only be in a \"model\" turn."_s);
        ContentPart part;
        part.kind = ContentPart::Kind::ToolCall;
        part.toolName = m_json.requiredString(*call, "name"_L1, callPath).value_or(QString());
        part.toolCallId = m_json.string(*call, "id"_L1, callPath).value_or(QString());
        const QJsonObject args = m_json.object(*call, "args"_L1, callPath).value_or(QJsonObject());
        if (m_json.failed())
            return false;
        if (part.toolCallId.isEmpty())
            part.toolCallId = GeminiChatJson::callId(int(m_calls.size()));
        part.toolArguments = compact(args);
        m_calls.append({part.toolCallId, part.toolName, false});
        *out = part;
        return true;
    }

    bool readFunctionResponse(const QJsonObject &in, const QString &path, bool model,
                              std::optional<ContentPart> *out)
    {
        const QString responsePath = JsonFieldReader::path(path, "functionResponse"_L1);
        const auto response = m_json.object(in, "functionResponse"_L1, path);
        if (!response)
            return false;
        if (model)
            return m_json.invalidValue(responsePath, u"a function response can only be in a \"user\" turn."_s);
        ContentPart part;
        part.kind = ContentPart::Kind::ToolResult;
        part.toolName = m_json.requiredString(*response, "name"_L1, responsePath).value_or(QString());
        const QString id = m_json.string(*response, "id"_L1, responsePath).value_or(QString());
        const QJsonObject output = m_json.object(*response, "response"_L1, responsePath).value_or(QJsonObject());
        if (m_json.failed())
            return false;
        // Without ids, a response answers the earliest call of its function
        // still unanswered: Gemini answers calls in the order they were made.
        // (ToolCallIds::fillMissing pairs the same way, but cannot name the
        // part at fault when nothing matches.)
        Call *match = nullptr;
        for (Call &call : m_calls) {
            if (!call.answered && (id.isEmpty() ? call.name == part.toolName : call.id == id)) {
                match = &call;
                break;
            }
        }
        if (!match) {
            return m_json.invalidValue(responsePath, u"it answers no earlier unanswered functionCall of \"%1\"."_s
                                                         .arg(id.isEmpty() ? part.toolName : id));
        }
        match->answered = true;
        part.toolCallId = match->id;
        readToolOutput(output, &part);
        if (present(*response, "parts"_L1))
            untranslatable(u"functionResponse.parts"_s);
        *out = part;
        return true;
    }

    bool readSystem(const QJsonObject &body)
    {
        const auto system = m_json.object(body, "systemInstruction"_L1, {});
        const QString path = u"systemInstruction"_s;
        const auto parts = system ? m_json.array(*system, "parts"_L1, path) : std::nullopt;
        if (m_json.failed())
            return false;
        const QString partsPath = JsonFieldReader::path(path, "parts"_L1);
        for (qsizetype j = 0; parts && j < parts->size(); ++j) {
            const auto part = m_json.element(*parts, j, partsPath);
            const auto text = part ? m_json.requiredString(*part, "text"_L1, JsonFieldReader::path(partsPath, j))
                                   : std::nullopt;
            if (!text)
                return false;
            m_request.system.append(ContentPart::textPart(*text));
        }
        return true;
    }

    bool readTools(const QJsonObject &body)
    {
        const auto tools = m_json.array(body, "tools"_L1, {});
        for (qsizetype i = 0; tools && i < tools->size(); ++i) {
            const QString path = JsonFieldReader::path(u"tools"_s, i);
            const auto tool = m_json.element(*tools, i, u"tools"_s);
            if (!tool)
                return false;
            for (auto it = tool->begin(); it != tool->end(); ++it) {
                // googleSearch, codeExecution, urlContext, ...: tools Gemini
                // runs itself, which no other family offers.
                if (it.key() != "functionDeclarations"_L1 && !it->isNull())
                    untranslatable(it.key());
            }
            const auto declarations = m_json.array(*tool, "functionDeclarations"_L1, path);
            const QString declarationsPath = JsonFieldReader::path(path, "functionDeclarations"_L1);
            for (qsizetype j = 0; declarations && j < declarations->size(); ++j) {
                const auto declaration = m_json.element(*declarations, j, declarationsPath);
                if (!declaration || !readDeclaration(*declaration, JsonFieldReader::path(declarationsPath, j)))
                    return false;
            }
        }
        return !m_json.failed();
    }

    bool readDeclaration(const QJsonObject &declaration, const QString &path)
    {
        ir::Tool tool;
        tool.name = m_json.requiredString(declaration, "name"_L1, path).value_or(QString());
        tool.description = m_json.string(declaration, "description"_L1, path).value_or(QString());
        const auto parameters = m_json.object(declaration, "parameters"_L1, path);
        const auto jsonSchema = m_json.object(declaration, "parametersJsonSchema"_L1, path);
        if (m_json.failed())
            return false;
        if (jsonSchema)
            tool.parameters = *jsonSchema;
        else if (parameters)
            tool.parameters = GeminiSchema::fromOpenApi(*parameters);
        // "response" (the function's output schema) is documentation only.
        m_request.tools.append(tool);
        return true;
    }

    bool readToolConfig(const QJsonObject &body)
    {
        const auto toolConfig = m_json.object(body, "toolConfig"_L1, {});
        const auto config = toolConfig ? m_json.object(*toolConfig, "functionCallingConfig"_L1, u"toolConfig"_s)
                                       : std::nullopt;
        const QString path = u"toolConfig.functionCallingConfig"_s;
        const QString mode = config ? m_json.string(*config, "mode"_L1, path).value_or(QString()) : QString();
        QStringList allowed;
        if (m_json.failed() || (config && !strings(*config, "allowedFunctionNames"_L1, path, &allowed)))
            return false;
        allowed.removeDuplicates();
        ir::ToolChoice choice;
        if (mode == "AUTO"_L1 || mode == "VALIDATED"_L1) {
            // VALIDATED is AUTO with schema-constrained calls: the choice the
            // model has is the same.
            choice.mode = ir::ToolChoice::Mode::Auto;
        } else if (mode == "NONE"_L1) {
            choice.mode = ir::ToolChoice::Mode::None;
        } else if (mode == "ANY"_L1) {
            choice.mode = ir::ToolChoice::Mode::Required;
        } else if (mode.isEmpty() || mode == "MODE_UNSPECIFIED"_L1) {
            return true;
        } else {
            return m_json.invalidValue(JsonFieldReader::path(path, "mode"_L1),
                                       u"must be AUTO, ANY, NONE or VALIDATED."_s);
        }
        if (choice.mode == ir::ToolChoice::Mode::Required && !allowed.isEmpty()) {
            bool all = true;
            for (const ir::Tool &tool : std::as_const(m_request.tools))
                all = all && allowed.contains(tool.name);
            if (allowed.size() == 1) {
                choice.mode = ir::ToolChoice::Mode::Named;
                choice.name = allowed.first();
            } else if (!all) {
                // The others can force one function or any, not a subset.
                untranslatable(u"allowedFunctionNames"_s);
            }
        }
        m_request.toolChoice = choice;
        return true;
    }

    bool readGenerationConfig(const QJsonObject &body)
    {
        const auto in = m_json.object(body, "generationConfig"_L1, {});
        if (!in)
            return !m_json.failed();
        const QJsonObject &config = *in;
        const QString path = u"generationConfig"_s;
        m_request.maxTokens = m_json.integer(config, "maxOutputTokens"_L1, path);
        m_request.temperature = m_json.number(config, "temperature"_L1, path);
        m_request.topP = m_json.number(config, "topP"_L1, path);
        // topK is an integer in the API, a float in some SDKs' types.
        if (const auto topK = m_json.number(config, "topK"_L1, path))
            m_request.topK = int(*topK);
        if (const auto candidates = m_json.integer(config, "candidateCount"_L1, path))
            m_request.candidateCount = int(*candidates);
        m_request.presencePenalty = m_json.number(config, "presencePenalty"_L1, path);
        m_request.frequencyPenalty = m_json.number(config, "frequencyPenalty"_L1, path);
        m_request.seed = m_json.integer(config, "seed"_L1, path);
        const QString mimeType = m_json.string(config, "responseMimeType"_L1, path).value_or(QString());
        const auto openApiSchema = m_json.object(config, "responseSchema"_L1, path);
        const auto jsonSchema = m_json.object(config, "responseJsonSchema"_L1, path);
        const bool logprobs = m_json.boolean(config, "responseLogprobs"_L1, path).value_or(false);
        QStringList modalities;
        if (m_json.failed() || !strings(config, "stopSequences"_L1, path, &m_request.stop)
            || !strings(config, "responseModalities"_L1, path, &modalities))
            return false;

        if (jsonSchema || openApiSchema) {
            m_request.responseFormat = ir::ResponseFormat::JsonSchema;
            const QJsonObject schema = jsonSchema ? *jsonSchema : GeminiSchema::fromOpenApi(*openApiSchema);
            // Gemini schemas have no name; the others need one.
            m_request.jsonSchema = QJsonObject{{u"name"_s, u"response"_s}, {u"schema"_s, schema}};
        } else if (mimeType == "application/json"_L1) {
            m_request.responseFormat = ir::ResponseFormat::JsonObject;
        } else if (!mimeType.isEmpty() && mimeType != "text/plain"_L1) {
            untranslatable(u"responseMimeType"_s); // text/x.enum
        }
        for (const QString &modality : std::as_const(modalities)) {
            if (modality.compare("TEXT"_L1, Qt::CaseInsensitive) != 0)
                untranslatable(u"responseModalities"_s);
        }
        if (logprobs)
            untranslatable(u"responseLogprobs"_s);
        // Reasoning budgets, voices, images, log probabilities: each family
        // has its own or none, with no common form in the IR.
        for (const QLatin1String key : {"thinkingConfig"_L1, "speechConfig"_L1, "logprobs"_L1, "imageConfig"_L1}) {
            if (present(config, key))
                untranslatable(QString(key));
        }
        return true;
    }

    struct Call
    {
        QString id;
        QString name;
        bool answered = false;
    };

    JsonFieldReader m_json;
    ir::ChatRequest m_request;
    QList<Call> m_calls;
};

} // namespace

std::optional<ir::ChatRequest> GeminiRequestReader::read(const QJsonObject &body, ChatCodec::Error *error)
{
    return Reader(error).read(body);
}

} // namespace gw
