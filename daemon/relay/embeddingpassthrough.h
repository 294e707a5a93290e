#pragma once

#include "wholeanswertranscoder.h"

namespace gw {

// An embedding call to a channel of the caller's own family other than
// OpenAI's (Gemini embedContent): the body goes up as sent, less the
// channel's strip list (the model is in the URL), and the answer comes back
// as is. These answers report no usage, so the input is billed at the
// request's estimate and the row marked estimated.
class EmbeddingPassthrough : public WholeAnswerTranscoder
{
public:
    explicit EmbeddingPassthrough(const RelayRequest &request) : m_request(request) {}

    std::optional<QByteArray> requestBody(const RouteCandidate &candidate, QString *refusal) override;
    std::optional<QByteArray> answer(const QByteArray &upstreamBody, QString *problem) override;
    void fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const override;

private:
    const RelayRequest &m_request;
};

} // namespace gw
