#include "geminichatcodec.h"

#include "common/timeformat.h"
#include "geminirequestreader.h"
#include "geminirequestwriter.h"
#include "geministreamdecoder.h"
#include "geministreamencoder.h"
#include "geminichatjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

namespace {

std::optional<QJsonDocument> parse(QByteArrayView body)
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    return document;
}

} // namespace

std::optional<ir::ChatRequest> GeminiChatCodec::decodeRequest(QByteArrayView body, Error *error) const
{
    const auto document = parse(body);
    if (!document || !document->isObject()) {
        if (error)
            *error = {QStringLiteral("The request body must be a JSON object"), {}};
        return std::nullopt;
    }
    return GeminiRequestReader::read(document->object(), error);
}

std::optional<QByteArray> GeminiChatCodec::encodeRequest(const ir::ChatRequest &request, const QString &upstreamModel,
                                                         Error *error) const
{
    return GeminiRequestWriter::write(request, upstreamModel, error);
}

std::optional<ir::ChatResponse> GeminiChatCodec::decodeResponse(QByteArrayView body) const
{
    const auto document = parse(body);
    if (!document || !document->isObject())
        return std::nullopt;
    const QJsonObject root = document->object();
    if (root.contains(QLatin1StringView("error")))
        return std::nullopt;

    ir::ChatResponse response;
    response.id = root.value(QLatin1StringView("responseId")).toString();
    response.model = root.value(QLatin1StringView("modelVersion")).toString();
    if (const auto created = TimeFormat::parse(root.value(QLatin1StringView("createTime")).toString()))
        response.createdSeconds = *created / 1000;
    response.usage = GeminiChatJson::usage(root.value(QLatin1StringView("usageMetadata")).toObject());

    const QJsonArray candidates = root.value(QLatin1StringView("candidates")).toArray();
    if (candidates.isEmpty()) {
        // Gemini blocked the prompt itself: no candidate, a blockReason.
        if (root.value(QLatin1StringView("promptFeedback")).toObject().contains(QLatin1StringView("blockReason"))) {
            response.stopReason = ir::StopReason::ContentFilter;
            return response;
        }
        return std::nullopt;
    }
    const QJsonObject candidate = candidates.first().toObject();
    const QJsonArray parts = candidate.value(QLatin1StringView("content")).toObject().value(QLatin1StringView("parts")).toArray();
    int calls = 0;
    for (const QJsonValue &value : parts) {
        const QJsonObject part = value.toObject();
        ir::ContentPart out;
        if (part.contains(QLatin1StringView("functionCall"))) {
            const QJsonObject call = part.value(QLatin1StringView("functionCall")).toObject();
            out.kind = ir::ContentPart::Kind::ToolCall;
            out.toolName = call.value(QLatin1StringView("name")).toString();
            out.toolCallId = call.value(QLatin1StringView("id")).toString();
            if (out.toolCallId.isEmpty())
                out.toolCallId = GeminiChatJson::callId(calls);
            ++calls;
            out.toolArguments = QJsonDocument(call.value(QLatin1StringView("args")).toObject()).toJson(QJsonDocument::Compact);
        } else if (part.value(QLatin1StringView("text")).isString()) {
            out.text = part.value(QLatin1StringView("text")).toString();
            if (part.value(QLatin1StringView("thought")).toBool()) {
                out.kind = ir::ContentPart::Kind::Thinking;
                out.signature = part.value(QLatin1StringView("thoughtSignature")).toString().toLatin1();
            } else if (out.text.isEmpty()) {
                continue; // an empty part that only carried a signature
            }
        } else {
            continue; // images, code execution: nothing the IR answer holds
        }
        response.content.append(out);
    }
    response.stopReason = GeminiChatJson::stopReason(candidate.value(QLatin1StringView("finishReason")).toString(), calls > 0);
    return response;
}

QString GeminiChatCodec::decodeErrorMessage(QByteArrayView body) const
{
    const auto document = parse(body);
    if (!document)
        return {};
    return GeminiChatJson::errorMessage(document->isArray() ? QJsonValue(document->array()) : QJsonValue(document->object()));
}

QByteArray GeminiChatCodec::encodeResponse(const ir::ChatResponse &response, const QString &publicModel) const
{
    QJsonArray parts;
    for (const ir::ContentPart &part : response.content) {
        switch (part.kind) {
        case ir::ContentPart::Kind::Text:
            parts.append(QJsonObject{{QStringLiteral("text"), part.text}});
            break;
        case ir::ContentPart::Kind::Thinking: {
            // Anthropic's redacted reasoning has no text to show, and its
            // data means nothing to any other family.
            if (part.redacted)
                break;
            QJsonObject thought{{QStringLiteral("text"), part.text}, {QStringLiteral("thought"), true}};
            // Kept so that a caller that sends the turn back (as Gemini asks)
            // hands the upstream its own signature again.
            if (!part.signature.isEmpty())
                thought.insert(QStringLiteral("thoughtSignature"), QString::fromLatin1(part.signature));
            parts.append(thought);
            break;
        }
        case ir::ContentPart::Kind::ToolCall: {
            const QJsonObject args = QJsonDocument::fromJson(part.toolArguments).object();
            parts.append(QJsonObject{{QStringLiteral("functionCall"),
                                      QJsonObject{{QStringLiteral("name"), part.toolName}, {QStringLiteral("args"), args}}}});
            break;
        }
        case ir::ContentPart::Kind::Image:
        case ir::ContentPart::Kind::ToolResult:
            break;
        }
    }
    // Some SDK versions refuse content without parts; Gemini itself sends an
    // empty text part when it has nothing else to say.
    if (parts.isEmpty())
        parts.append(QJsonObject{{QStringLiteral("text"), QString()}});
    const QJsonObject candidate{
        {QStringLiteral("content"), QJsonObject{{QStringLiteral("role"), QStringLiteral("model")},
                                                {QStringLiteral("parts"), parts}}},
        {QStringLiteral("finishReason"), GeminiChatJson::finishReason(response.stopReason)},
        {QStringLiteral("index"), 0},
    };
    QJsonObject root{
        {QStringLiteral("candidates"), QJsonArray{candidate}},
        {QStringLiteral("modelVersion"), publicModel},
    };
    if (!response.id.isEmpty())
        root.insert(QStringLiteral("responseId"), response.id);
    if (response.usage.present)
        root.insert(QStringLiteral("usageMetadata"), GeminiChatJson::usageMetadata(response.usage));
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

std::unique_ptr<ChatCodec::StreamDecoder> GeminiChatCodec::streamDecoder() const
{
    return std::make_unique<GeminiStreamDecoder>();
}

std::unique_ptr<ChatCodec::StreamEncoder> GeminiChatCodec::streamEncoder(const QString &publicModel, bool includeUsage,
                                                                         bool sse) const
{
    // Gemini reports usage in its last chunk whether asked or not.
    Q_UNUSED(includeUsage);
    return std::make_unique<GeminiStreamEncoder>(publicModel, sse);
}

} // namespace gw
