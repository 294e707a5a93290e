#pragma once

#include "fakeproviderhandler.h"

class QJsonObject;

namespace gw::test {

// Gemini's surface under /v1beta: models/{model}:generateContent,
// :streamGenerateContent (SSE with ?alt=sse, else a JSON array written
// element by element), :countTokens, :embedContent, :batchEmbedContents, and
// GET models and models/{model}. The model is the path segment before the
// last ':' (percent-decoded), so "fake:" specs work there too. Answers follow
// the OpenAI handler's rules:
//   text       = "Echo: " + words of the last user content's text parts (or
//                behaviour.text), ended at a word in stopSequences ("STOP") or
//                after maxOutputTokens words ("MAX_TOKENS"), else "STOP"
//   prompt     = sum over contents and systemInstruction of (words + 3)
//   candidates = words in the text per candidate (function call: words of
//                the compact args JSON + 1)
//   total      = prompt + candidates + thoughts
class FakeGeminiHandler : public FakeProviderHandler
{
public:
    QString name() const override { return QStringLiteral("gemini"); }
    bool handles(const FakeRecordedRequest &request) const override;
    bool recognizes(const FakeRecordedRequest &request) const override;
    QString requestedModel(const FakeRecordedRequest &request) const override;
    std::optional<FakeReply> checkAuth(const FakeRecordedRequest &request, const QString &requiredKey) const override;
    FakeReply errorReply(int status, const QString &message, const QString &type, const QString &code) const override;
    FakeReply behaviorError(const FakeBehavior &behavior) const override;
    FakeReply reply(const FakeRecordedRequest &request, const FakeBehavior &behavior,
                    const FakeReplyContext &context) override;

    // promptTokenCount of a request's contents and systemInstruction.
    static int promptTokens(const QJsonObject &request);
    // The google.rpc status name Gemini gives an HTTP status.
    static QString statusName(int httpStatus);

private:
    QJsonObject errorObject(int status, const QString &message, const QString &type, const QString &code) const;
    FakeReply generate(const QJsonObject &request, const QString &model, bool stream, bool sse,
                       const FakeBehavior &behavior, const FakeReplyContext &context) const;
    FakeReply countTokens(const QJsonObject &request) const;
    FakeReply embedContent(const QJsonObject &request) const;
    FakeReply batchEmbedContents(const QJsonObject &request) const;
    FakeReply models(const FakeReplyContext &context) const;
    QJsonObject model(const QString &id) const;
    FakeReply invalidArgument(const QString &message) const;
};

} // namespace gw::test
