#pragma once

#include "wholeanswertranscoder.h"

namespace gw {

// OpenAI's media calls to an OpenAI-compatible channel: images/generations
// (a JSON answer with one `data` item per image, and token usage from the
// models that bill images in tokens) and audio/speech (binary audio, passed
// through with its content type). The body goes up with the channel's model
// name and without the channel's strip list. Neither streams.
class MediaPassthrough : public WholeAnswerTranscoder
{
public:
    explicit MediaPassthrough(const RelayRequest &request) : m_request(request) {}

    std::optional<QByteArray> requestBody(const RouteCandidate &candidate, QString *refusal) override;
    std::optional<QByteArray> answer(const QByteArray &upstreamBody, QString *problem) override;
    QByteArray storedAnswer(const QByteArray &answer) const override;
    void fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const override;

private:
    const RelayRequest &m_request;
    qint64 m_images = 0;
    std::optional<qint64> m_inputTokens;  // as the upstream reported them
    std::optional<qint64> m_outputTokens;
};

} // namespace gw
