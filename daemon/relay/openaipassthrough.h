#pragma once

#include "answertranscoder.h"

#include "api/openai/openaistreamassembler.h"
#include "api/openai/sseeventparser.h"

namespace gw {

// An OpenAI-shaped call to an OpenAI-compatible channel (chat or
// embeddings): the caller's bytes go up with the model renamed, usage asked
// for on streams and the channel's strip list removed; the answer comes back
// byte for byte but for the public model name. The hot path: nothing is
// parsed into documents.
class OpenAiPassthrough : public AnswerTranscoder
{
public:
    explicit OpenAiPassthrough(const RelayRequest &request);

    std::optional<QByteArray> requestBody(const RouteCandidate &candidate, QString *refusal) override;
    StreamStep feed(QByteArrayView bytes) override;
    StreamStep finish() override;
    bool streamComplete() const override;
    QByteArray streamTrailer() override;
    QByteArray streamError(const QString &message, const QString &code) override;
    QByteArray streamedAnswer(qsizetype maxBytes) const override;
    std::optional<QByteArray> answer(const QByteArray &upstreamBody, QString *problem) override;
    QByteArray errorBody(int status, const QByteArray &upstreamBody, QByteArray *contentType) const override;
    void fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const override;

private:
    void forward(const SseEventParser::Event &event, StreamStep &step);

    const RelayRequest &m_request;
    SseEventParser m_sse;
    OpenAiStreamAssembler m_assembler;
    bool m_doneSeen = false;
    bool m_streamed = false;
    QByteArray m_answer; // the non-streamed upstream body
    std::optional<OpenAiUsage> m_answerUsage; // and the usage it reported
    QByteArray m_quotedModel; // the public model id as a JSON string, made once
};

} // namespace gw
