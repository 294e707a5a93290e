#pragma once

#include "fakeproviderhandler.h"

class QJsonObject;

namespace gw::test {

// Anthropic's surface: POST /v1/messages (JSON and SSE with named events),
// POST /v1/messages/count_tokens, and GET /v1/models and /v1/models/{id} for
// requests that carry anthropic-version or x-api-key (without them the path
// is OpenAI's). Answers follow the same rules as the OpenAI handler:
//   text   = "Echo: " + words of the last user message's text (or behaviour.text),
//            ended at a word listed in stop_sequences ("stop_sequence") or
//            after max_tokens words ("max_tokens"), else "end_turn"
//   input  = sum over messages of (words + 3) + words of "system"
//   output = words in the text (tool use: words of the text block + words
//            of the compact input JSON + 1)
class FakeAnthropicHandler : public FakeProviderHandler
{
public:
    QString name() const override { return QStringLiteral("anthropic"); }
    bool handles(const FakeRecordedRequest &request) const override;
    bool recognizes(const FakeRecordedRequest &request) const override;
    std::optional<FakeReply> checkAuth(const FakeRecordedRequest &request, const QString &requiredKey) const override;
    FakeReply errorReply(int status, const QString &message, const QString &type, const QString &code) const override;
    FakeHeaders replyHeaders(const FakeReplyContext &context) const override;
    FakeReply reply(const FakeRecordedRequest &request, const FakeBehavior &behavior,
                    const FakeReplyContext &context) override;

    // input_tokens of a Messages request, as count_tokens and usage report it.
    static int inputTokens(const QJsonObject &request);

    // created_at of models the fake knows nothing about: the OpenAI handler's
    // fixed `created` as RFC 3339.
    static constexpr QLatin1String kCreatedAt{"2023-11-14T22:13:20Z"};

private:
    FakeReply messages(const QJsonObject &request, const FakeBehavior &behavior, const FakeReplyContext &context) const;
    FakeReply countTokens(const QJsonObject &request) const;
    FakeReply models(const FakeRecordedRequest &request, const FakeReplyContext &context) const;
    QJsonObject model(const QString &id) const;
    // The 400 the real API gives for a missing or mistyped field, or nullopt.
    std::optional<FakeReply> invalidFields(const QJsonObject &request, bool needMaxTokens) const;
};

} // namespace gw::test
