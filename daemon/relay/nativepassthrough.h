#pragma once

#include "answertranscoder.h"
#include "streamtally.h"

#include "api/openai/sseeventparser.h"
#include "translate/chatcodec.h"

namespace gw {

// A call to a channel of the caller's own family, for the families whose
// streams are read with their codec's decoder (Anthropic, Gemini): the body
// goes up with the model renamed and the channel's strip list removed, and
// every event comes back as the upstream wrote it, except where the model
// name shows; the decoder reads the same events alongside for the usage, the
// finish and the answer the usage log keeps.
class NativePassthrough : public AnswerTranscoder
{
public:
    std::optional<QByteArray> requestBody(const RouteCandidate &candidate, QString *refusal) override;
    StreamStep feed(QByteArrayView bytes) override;
    StreamStep finish() override;
    QByteArray streamedAnswer(qsizetype maxBytes) const override;
    std::optional<QByteArray> answer(const QByteArray &upstreamBody, QString *problem) override;
    QByteArray errorBody(int status, const QByteArray &upstreamBody, QByteArray *contentType) const override;
    void fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const override;

protected:
    NativePassthrough(const RelayRequest &request, ApiFamily family);

    // What the events the decoder read from one upstream event were.
    struct Decoded
    {
        bool finish = false;   // it carried the stop reason
        bool end = false;      // it ended the stream
        QString error;         // it was an error report
    };
    // Adds what goes to the caller for one upstream event (or holds it back).
    virtual void forward(const SseEventParser::Event &event, const Decoded &decoded, StreamStep &step) = 0;
    // Where the model's name sits in a body or a stream event: "model", "modelVersion".
    virtual QByteArrayView modelKey() const = 0;
    // Whether the request body names the model (Gemini's is in the URL).
    virtual bool modelInBody() const = 0;

    QByteArray withPublicModel(const QByteArray &json) const;

    const RelayRequest &m_request;
    const ChatCodec *m_codec;
    StreamTally m_tally;

private:
    void handle(const SseEventParser::Event &event, StreamStep &step);

    SseEventParser m_sse;
    std::unique_ptr<ChatCodec::StreamDecoder> m_decoder;
    std::optional<ir::ChatResponse> m_response;
    bool m_streamed = false;
};

} // namespace gw
