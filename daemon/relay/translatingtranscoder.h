#pragma once

#include "answertranscoder.h"
#include "streamtally.h"

#include "translate/chatcodec.h"

namespace gw {

// A chat call to a channel of another family: the caller's request is
// decoded into the family-neutral form and written in the channel's shape;
// the answer, and a stream event by event as it arrives, the other way.
// What the channel's family cannot express is refused, never dropped.
class TranslatingTranscoder : public AnswerTranscoder
{
public:
    TranslatingTranscoder(RelayRequest &request, ApiFamily upstreamFamily, qint64 defaultMaxTokens);

    std::optional<QByteArray> requestBody(const RouteCandidate &candidate, QString *refusal) override;
    StreamStep feed(QByteArrayView bytes) override;
    StreamStep finish() override;
    bool streamComplete() const override;
    QByteArray streamTrailer() override;
    QByteArray streamError(const QString &message, const QString &code) override;
    QByteArray streamContentType() const override;
    QByteArray streamedAnswer(qsizetype maxBytes) const override;
    std::optional<QByteArray> answer(const QByteArray &upstreamBody, QString *problem) override;
    QByteArray errorBody(int status, const QByteArray &upstreamBody, QByteArray *contentType) const override;
    void fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const override;

    static QString familyLabel(ApiFamily family);

private:
    void handle(const QList<ir::StreamEvent> &events, StreamStep &step);

    RelayRequest &m_request;
    ApiFamily m_upstreamFamily;
    qint64 m_defaultMaxTokens;
    const ChatCodec *m_caller;
    const ChatCodec *m_upstream;
    std::unique_ptr<ChatCodec::StreamDecoder> m_decoder;
    std::unique_ptr<ChatCodec::StreamEncoder> m_encoder;
    StreamTally m_tally;
    std::optional<ir::ChatResponse> m_response;
    QByteArray m_pending; // the start of the caller's stream, until content follows
    bool m_streamed = false;
    bool m_errored = false;
};

} // namespace gw
