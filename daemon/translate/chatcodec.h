#pragma once

#include "chatir.h"
#include "http/apifamily.h"

#include <QByteArrayView>
#include <QList>

#include <memory>

namespace gw {

// A family's chat shape in both directions. One implementation per family
// (OpenAiChatCodec, AnthropicChatCodec, GeminiChatCodec); the relay decodes a
// caller's request with the caller's codec and, when the channel speaks
// another family, encodes it with the channel's, and back for the answer.
class ChatCodec
{
public:
    virtual ~ChatCodec() = default;

    // The codec of OpenAI, Anthropic or Gemini (null for other families).
    static const ChatCodec *forFamily(ApiFamily family);

    struct Error
    {
        QString message; // for a 400 in the caller's shape
        QString param;   // the field at fault, when there is one
    };

    // The caller's request (already validated as JSON by the family's inspector).
    virtual std::optional<ir::ChatRequest> decodeRequest(QByteArrayView body, Error *error) const = 0;
    // The request for an upstream of this family; an Error (400) when the
    // request uses something this family cannot express.
    virtual std::optional<QByteArray> encodeRequest(const ir::ChatRequest &request, const QString &upstreamModel,
                                                    Error *error) const = 0;

    virtual std::optional<ir::ChatResponse> decodeResponse(QByteArrayView body) const = 0;
    // The human-readable message of an error body in this family's shape
    // (empty when the body is not one), so that an upstream's refusal reaches
    // a caller of another family in the caller's own error shape.
    virtual QString decodeErrorMessage(QByteArrayView body) const = 0;
    virtual QByteArray encodeResponse(const ir::ChatResponse &response, const QString &publicModel) const = 0;

    // Reads an upstream stream of this family, event by event as they arrive.
    class StreamDecoder
    {
    public:
        virtual ~StreamDecoder() = default;
        // Bytes as they arrive (SSE, or Gemini's JSON array); returns the
        // events complete so far. `error` is set when the stream is malformed.
        virtual QList<ir::StreamEvent> feed(QByteArrayView bytes, QString *error) = 0;
        // The upstream closed: what is left, and whether it ended properly.
        virtual QList<ir::StreamEvent> finish(bool *complete, QString *error) = 0;
    };
    // Writes a stream in this family's shape for a caller.
    class StreamEncoder
    {
    public:
        virtual ~StreamEncoder() = default;
        // The bytes to send the caller for this event (possibly none).
        virtual QByteArray encode(const ir::StreamEvent &event) = 0;
    };

    virtual std::unique_ptr<StreamDecoder> streamDecoder() const = 0;
    // `publicModel`: the model id the caller asked for; `includeUsage`: the
    // caller asked for usage in the stream (OpenAI); `sse`: for Gemini,
    // server-sent events (alt=sse) rather than a streamed JSON array.
    virtual std::unique_ptr<StreamEncoder> streamEncoder(const QString &publicModel, bool includeUsage, bool sse) const = 0;
};

} // namespace gw
