#include "geminirequestwriter.h"

#include "dataurl.h"
#include "geminischema.h"
#include "toolcallids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

namespace {

using ir::ContentPart;

// The dummy signature Google documents for function calls whose thought
// signature is unknown (a conversation that started with another model or
// family): Gemini 3 and later refuse a history whose model turns call
// functions without a signature, while 1.x and 2.x models never asked for
// one.
bool needsDummySignature(const QString &model)
{
    const QString name = model.section(u'/', -1);
    return !(name.startsWith(u"gemini-1") || name.startsWith(u"gemini-2") || name.startsWith(u"gemini-pro")
             || name.startsWith(u"gemma"));
}

class Writer
{
public:
    Writer(const ir::ChatRequest &request, const QString &upstreamModel, ChatCodec::Error *error)
        : m_request(request), m_messages(request.messages), m_dummySignature(needsDummySignature(upstreamModel)),
          m_error(error)
    {
        // Gemini pairs a response with its call by the function's name.
        ToolCallIds::nameResults(&m_messages);
    }

    std::optional<QByteArray> write()
    {
        // Gemini could make several candidates, but the answer comes back
        // through the IR, which holds one: the others would be paid for and
        // lost.
        if (m_request.candidateCount > 1) {
            if (m_error)
                *m_error = {QStringLiteral("Gemini upstreams return a single candidate here; n must be 1."),
                            QStringLiteral("n")};
            return std::nullopt;
        }
        QJsonObject body;
        if (!writeContents(&body))
            return std::nullopt;
        writeSystem(&body);
        writeTools(&body);
        writeGenerationConfig(&body);
        // Not carried: `user` (Gemini has no end-user field), safety settings
        // (the other families have none), and parallelToolCalls=false: Gemini
        // has no switch for it; the model may still answer with several
        // calls, which the caller's family can express anyway.
        return QJsonDocument(body).toJson(QJsonDocument::Compact);
    }

private:
    // `param` names the IR message at fault, as the other encoders do.
    bool fail(const QString &message)
    {
        if (m_error)
            *m_error = {message, m_messageIndex >= 0 ? QStringLiteral("messages[%1]").arg(m_messageIndex) : QString()};
        return false;
    }

    bool writeContents(QJsonObject *body)
    {
        QJsonArray contents;
        QString lastRole;
        QJsonArray lastParts;
        auto flush = [&] {
            if (!lastParts.isEmpty())
                contents.append(QJsonObject{{QStringLiteral("role"), lastRole}, {QStringLiteral("parts"), lastParts}});
            lastParts = {};
        };
        for (const ir::Message &message : std::as_const(m_messages)) {
            ++m_messageIndex;
            // Tool results are user turns in Gemini. (A System message here,
            // which decoders put in `system` instead, would be user text.)
            const QString role = message.role == ir::Role::Assistant ? QStringLiteral("model") : QStringLiteral("user");
            QJsonArray parts;
            for (const ContentPart &part : message.parts) {
                std::optional<QJsonObject> out;
                if (!writePart(part, &out))
                    return false;
                if (out)
                    parts.append(*out);
            }
            if (parts.isEmpty())
                continue;
            // Gemini wants turns to alternate; consecutive turns of one role
            // (a tool turn then a user turn, say) become one.
            if (role != lastRole)
                flush();
            lastRole = role;
            for (const QJsonValue &part : std::as_const(parts))
                lastParts.append(part);
        }
        flush();
        m_messageIndex = -1;
        if (m_dummySignature)
            signCalls(&contents);
        body->insert(QStringLiteral("contents"), contents);
        return true;
    }

    // The first function call of each model turn carries the signature (as
    // Gemini itself does with parallel calls).
    void signCalls(QJsonArray *contents) const
    {
        for (qsizetype i = 0; i < contents->size(); ++i) {
            QJsonObject content = contents->at(i).toObject();
            if (content.value(QLatin1StringView("role")).toString() != u"model")
                continue;
            QJsonArray parts = content.value(QLatin1StringView("parts")).toArray();
            for (qsizetype j = 0; j < parts.size(); ++j) {
                QJsonObject part = parts.at(j).toObject();
                if (!part.contains(QLatin1StringView("functionCall")))
                    continue;
                part.insert(QStringLiteral("thoughtSignature"), QStringLiteral("skip_thought_signature_validator"));
                parts.replace(j, part);
                break;
            }
            content.insert(QStringLiteral("parts"), parts);
            contents->replace(i, content);
        }
    }

    bool writePart(const ContentPart &part, std::optional<QJsonObject> *out)
    {
        switch (part.kind) {
        case ContentPart::Kind::Text:
            // Gemini refuses empty text parts.
            if (!part.text.isEmpty())
                *out = QJsonObject{{QStringLiteral("text"), part.text}};
            return true;
        case ContentPart::Kind::Thinking:
            // Another family's reasoning: Gemini cannot verify its signature
            // and would refuse or ignore the text, so it is left out (the
            // answer that followed it stays).
            return true;
        case ContentPart::Kind::Image:
            return writeImage(part, out);
        case ContentPart::Kind::ToolCall: {
            QJsonObject args;
            if (!part.toolArguments.trimmed().isEmpty()) {
                QJsonParseError parseError;
                const QJsonDocument document = QJsonDocument::fromJson(part.toolArguments, &parseError);
                if (parseError.error != QJsonParseError::NoError || !document.isObject())
                    return fail(QStringLiteral("The arguments of tool call \"%1\" are not a JSON object; Gemini takes "
                                               "function call arguments as an object")
                                    .arg(part.toolCallId));
                args = document.object();
            }
            *out = QJsonObject{{QStringLiteral("functionCall"),
                                QJsonObject{{QStringLiteral("name"), part.toolName}, {QStringLiteral("args"), args}}}};
            return true;
        }
        case ContentPart::Kind::ToolResult: {
            if (part.toolName.isEmpty())
                return fail(QStringLiteral("The tool result for call \"%1\" answers no tool call earlier in the "
                                           "conversation; Gemini needs the function's name")
                                .arg(part.toolCallId));
            *out = QJsonObject{{QStringLiteral("functionResponse"),
                                QJsonObject{{QStringLiteral("name"), part.toolName},
                                            {QStringLiteral("response"), toolResponse(part)}}}};
            return true;
        }
        }
        return true;
    }

    // Gemini takes a function's output as an object: a tool that answered
    // with a JSON object is passed as it is, any other text is wrapped.
    static QJsonObject toolResponse(const ContentPart &part)
    {
        if (part.toolError)
            return QJsonObject{{QStringLiteral("error"), part.text}};
        const QByteArray text = part.text.toUtf8();
        if (text.trimmed().startsWith('{')) {
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
            if (parseError.error == QJsonParseError::NoError && document.isObject())
                return document.object();
        }
        return QJsonObject{{QStringLiteral("result"), part.text}};
    }

    bool writeImage(const ContentPart &part, std::optional<QJsonObject> *out)
    {
        QString mimeType = part.mediaType;
        QByteArray base64 = part.imageBase64;
        if (base64.isEmpty()) {
            if (!DataUrl::isDataUrl(part.imageUrl)) {
                // The gateway does not fetch URLs on a caller's behalf.
                return fail(QStringLiteral("Gemini upstreams take images inline; this request passes an image by URL"));
            }
            const auto data = DataUrl::parse(part.imageUrl);
            if (!data)
                return fail(QStringLiteral("An image data: URL must be base64 with a media type"));
            mimeType = data->mediaType;
            base64 = data->base64;
        }
        if (mimeType.isEmpty())
            return fail(QStringLiteral("An image has no media type; Gemini needs one"));
        *out = QJsonObject{{QStringLiteral("inlineData"),
                            QJsonObject{{QStringLiteral("mimeType"), mimeType},
                                        {QStringLiteral("data"), QString::fromLatin1(base64)}}}};
        return true;
    }

    void writeSystem(QJsonObject *body) const
    {
        QJsonArray parts;
        for (const ContentPart &part : m_request.system) {
            if (part.kind == ContentPart::Kind::Text && !part.text.isEmpty())
                parts.append(QJsonObject{{QStringLiteral("text"), part.text}});
        }
        if (!parts.isEmpty())
            body->insert(QStringLiteral("systemInstruction"), QJsonObject{{QStringLiteral("parts"), parts}});
    }

    void writeTools(QJsonObject *body) const
    {
        if (m_request.tools.isEmpty())
            return;
        QJsonArray declarations;
        for (const ir::Tool &tool : m_request.tools) {
            QJsonObject declaration{{QStringLiteral("name"), tool.name}};
            if (!tool.description.isEmpty())
                declaration.insert(QStringLiteral("description"), tool.description);
            // parametersJsonSchema takes JSON Schema as the other families
            // write it (additionalProperties, type arrays, anyOf, $ref), where
            // `parameters` takes an OpenAPI subset that refuses those: no
            // lossy conversion, and Gemini documents both fields as current.
            if (!tool.parameters.isEmpty())
                declaration.insert(QStringLiteral("parametersJsonSchema"), GeminiSchema::forJsonSchemaField(tool.parameters));
            declarations.append(declaration);
        }
        body->insert(QStringLiteral("tools"), QJsonArray{QJsonObject{{QStringLiteral("functionDeclarations"), declarations}}});

        if (!m_request.toolChoice)
            return;
        QJsonObject config;
        switch (m_request.toolChoice->mode) {
        case ir::ToolChoice::Mode::Auto:
            config.insert(QStringLiteral("mode"), QStringLiteral("AUTO"));
            break;
        case ir::ToolChoice::Mode::None:
            config.insert(QStringLiteral("mode"), QStringLiteral("NONE"));
            break;
        case ir::ToolChoice::Mode::Required:
            config.insert(QStringLiteral("mode"), QStringLiteral("ANY"));
            break;
        case ir::ToolChoice::Mode::Named:
            config.insert(QStringLiteral("mode"), QStringLiteral("ANY"));
            config.insert(QStringLiteral("allowedFunctionNames"), QJsonArray{m_request.toolChoice->name});
            break;
        }
        body->insert(QStringLiteral("toolConfig"), QJsonObject{{QStringLiteral("functionCallingConfig"), config}});
    }

    void writeGenerationConfig(QJsonObject *body) const
    {
        QJsonObject config;
        if (m_request.maxTokens)
            config.insert(QStringLiteral("maxOutputTokens"), *m_request.maxTokens);
        if (m_request.temperature)
            config.insert(QStringLiteral("temperature"), *m_request.temperature);
        if (m_request.topP)
            config.insert(QStringLiteral("topP"), *m_request.topP);
        if (m_request.topK)
            config.insert(QStringLiteral("topK"), *m_request.topK);
        if (!m_request.stop.isEmpty())
            config.insert(QStringLiteral("stopSequences"), QJsonArray::fromStringList(m_request.stop));
        if (m_request.presencePenalty)
            config.insert(QStringLiteral("presencePenalty"), *m_request.presencePenalty);
        if (m_request.frequencyPenalty)
            config.insert(QStringLiteral("frequencyPenalty"), *m_request.frequencyPenalty);
        if (m_request.seed)
            config.insert(QStringLiteral("seed"), *m_request.seed);
        switch (m_request.responseFormat) {
        case ir::ResponseFormat::Text:
            break;
        case ir::ResponseFormat::JsonObject:
            config.insert(QStringLiteral("responseMimeType"), QStringLiteral("application/json"));
            break;
        case ir::ResponseFormat::JsonSchema: {
            config.insert(QStringLiteral("responseMimeType"), QStringLiteral("application/json"));
            // JSON Schema as given, for the reason tools use
            // parametersJsonSchema; the schema's name and "strict" have no
            // Gemini form (Gemini always holds the output to the schema).
            const QJsonObject schema = m_request.jsonSchema.value(QLatin1StringView("schema")).toObject();
            if (!schema.isEmpty())
                config.insert(QStringLiteral("responseJsonSchema"), GeminiSchema::forJsonSchemaField(schema));
            break;
        }
        }
        if (!config.isEmpty())
            body->insert(QStringLiteral("generationConfig"), config);
    }

    const ir::ChatRequest &m_request;
    QList<ir::Message> m_messages;
    const bool m_dummySignature;
    ChatCodec::Error *m_error;
    int m_messageIndex = -1;
};

} // namespace

std::optional<QByteArray> GeminiRequestWriter::write(const ir::ChatRequest &request, const QString &upstreamModel,
                                                     ChatCodec::Error *error)
{
    return Writer(request, upstreamModel, error).write();
}

} // namespace gw
