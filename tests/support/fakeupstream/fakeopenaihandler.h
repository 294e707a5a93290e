#pragma once

#include "fakeproviderhandler.h"

#include <QList>

class QJsonObject;

namespace gw::test {

// OpenAI's surface: POST /v1/chat/completions (JSON and SSE), POST
// /v1/embeddings, POST /v1/images/generations (n tiny fake images; tokens
// reported for gpt-image-* models), POST /v1/audio/speech (binary
// audio/mpeg), GET /v1/models and /v1/models/{id}. Answers are
// deterministic so that tests can compute what to expect:
//   text    = "Echo: " + words of the last user message (or behaviour.text),
//             cut to max_tokens / max_completion_tokens words (then
//             finish_reason "length")
//   prompt  = sum over messages of (words in its text + 3)
//   completion = words in text (tool call: words in its arguments + 1),
//                plus behaviour.thoughtsTokens (reported as reasoning_tokens)
class FakeOpenAiHandler : public FakeProviderHandler
{
public:
    QString name() const override { return QStringLiteral("openai"); }
    bool handles(const FakeRecordedRequest &request) const override;
    std::optional<FakeReply> checkAuth(const FakeRecordedRequest &request, const QString &requiredKey) const override;
    FakeReply errorReply(int status, const QString &message, const QString &type, const QString &code) const override;
    FakeReply reply(const FakeRecordedRequest &request, const FakeBehavior &behavior,
                    const FakeReplyContext &context) override;

    // The vector /v1/embeddings returns for one input (a string, or token ids
    // joined by single spaces): unit length, seeded by the text.
    static QList<float> embeddingFor(const QString &text, int dimensions);
    static int countWords(const QString &text);

    static constexpr int kDefaultEmbeddingDimensions = 8;
    static constexpr qint64 kCreated = 1700000000; // fixed so replies compare byte for byte

private:
    FakeReply chatCompletion(const QJsonObject &request, const FakeBehavior &behavior,
                             const FakeReplyContext &context) const;
    FakeReply embeddings(const QJsonObject &request, const FakeReplyContext &context) const;
    FakeReply images(const QJsonObject &request) const;
    FakeReply speech(const QJsonObject &request) const;
    FakeReply models(const FakeReplyContext &context) const;
    FakeReply model(const QString &id) const;
    FakeReply invalidJson() const;
};

} // namespace gw::test
