#pragma once

#include "fakeheaders.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringView>

#include <optional>
#include <utility>

namespace gw::test {

// How the fake upstream answers one or more requests. A default-constructed
// behaviour is the provider's normal, successful answer. GCC 12 warns about
// designated initialisers that skip fields (-Wmissing-field-initializers), so
// tests build behaviours with the with*() calls or a spec string:
//     FakeBehavior().withStatus(503).withRetryAfter(QStringLiteral("2"))
//     FakeBehavior::fromSpec(u"status=503,retry_after=2")
//
// Chosen per request: the first queued behaviour whose pathContains matches
// (FIFO, consumed), else a "fake:..." model name, else the default behaviour.
struct FakeBehavior
{
    int status = 200;          // >= 400 without `body`: an error in the provider's shape
    int delayMs = 0;           // wait before the response headers
    bool hang = false;         // never answer (with cutAfterEvents: stall there instead of closing)
    bool malformedBody = false; // valid head, body cut to invalid JSON / a broken SSE event
    int cutAfterEvents = -1;   // >= 0: stream: close after N SSE events; JSON: close after half the body
    int streamIntervalMs = 0;  // pause between SSE events
    bool omitUsage = false;    // no usage chunk even when asked; JSON without "usage"
    QString retryAfter;        // Retry-After header value when not empty
    std::optional<QByteArray> body; // raw body replacing the handler's answer
    FakeHeaders headers;       // extra response headers, replacing same-named ones
    QString pathContains;      // only requests whose path contains this; empty = any
    int count = 1;             // requests a queued behaviour serves; <= 0 = until reset
    QString errorMessage;      // error replies: message (a default names the status)
    QString errorType;         // error replies: "type" (default per status)
    QString errorCode;         // error replies: "code" (default per status)
    QString text;              // assistant text instead of the "Echo: ..." answer
    // Usage details the word count cannot produce. Each provider reports them
    // in its own field; one that has no such field ignores them.
    int cacheReadTokens = 0;   // Anthropic cache_read_input_tokens, OpenAI cached_tokens, Gemini cachedContentTokenCount
    int cacheWriteTokens = 0;  // Anthropic cache_creation_input_tokens
    int thoughtsTokens = 0;    // Gemini thoughtsTokenCount, OpenAI reasoning_tokens
    // Anthropic streams: an "event: error" of this type after
    // streamErrorAfter content deltas (0: right after message_start, before
    // any content block), then the end of the stream. Empty: none.
    QString streamError;
    int streamErrorAfter = 1;

    static constexpr QLatin1String kDefaultStreamError{"overloaded_error"};

    FakeBehavior withStatus(int value) const { return with(&FakeBehavior::status, value); }
    FakeBehavior withDelay(int ms) const { return with(&FakeBehavior::delayMs, ms); }
    FakeBehavior withHang(bool value = true) const { return with(&FakeBehavior::hang, value); }
    FakeBehavior withMalformedBody(bool value = true) const { return with(&FakeBehavior::malformedBody, value); }
    FakeBehavior withCutAfterEvents(int events) const { return with(&FakeBehavior::cutAfterEvents, events); }
    FakeBehavior withStreamInterval(int ms) const { return with(&FakeBehavior::streamIntervalMs, ms); }
    FakeBehavior withOmitUsage(bool value = true) const { return with(&FakeBehavior::omitUsage, value); }
    FakeBehavior withRetryAfter(const QString &value) const { return with(&FakeBehavior::retryAfter, value); }
    FakeBehavior withBody(const QByteArray &value) const { return with(&FakeBehavior::body, std::optional(value)); }
    FakeBehavior withHeader(const QByteArray &name, const QByteArray &value) const
    {
        FakeBehavior copy = *this;
        copy.headers.append({name, value});
        return copy;
    }
    FakeBehavior withPathContains(const QString &value) const { return with(&FakeBehavior::pathContains, value); }
    FakeBehavior withCount(int value) const { return with(&FakeBehavior::count, value); }
    FakeBehavior withErrorMessage(const QString &value) const { return with(&FakeBehavior::errorMessage, value); }
    FakeBehavior withErrorType(const QString &value) const { return with(&FakeBehavior::errorType, value); }
    FakeBehavior withErrorCode(const QString &value) const { return with(&FakeBehavior::errorCode, value); }
    FakeBehavior withText(const QString &value) const { return with(&FakeBehavior::text, value); }
    FakeBehavior withCacheRead(int tokens) const { return with(&FakeBehavior::cacheReadTokens, tokens); }
    FakeBehavior withCacheWrite(int tokens) const { return with(&FakeBehavior::cacheWriteTokens, tokens); }
    FakeBehavior withThoughts(int tokens) const { return with(&FakeBehavior::thoughtsTokens, tokens); }
    FakeBehavior withStreamError(const QString &type = kDefaultStreamError, int afterDeltas = 1) const
    {
        return with(&FakeBehavior::streamError, type).with(&FakeBehavior::streamErrorAfter, afterDeltas);
    }

    bool matchesPath(QStringView path) const { return pathContains.isEmpty() || path.contains(pathContains); }

    // snake_case fields of the control API. Unknown fields are an error so a
    // typo in a test does not silently become the normal answer.
    static std::optional<FakeBehavior> fromJson(const QJsonObject &object, QString *error);
    QJsonObject toJson() const;

    static bool isModelSpec(QStringView model) { return model.startsWith(QLatin1String("fake:")); }
    // "fake:status=429,retry_after=2": nullopt and an empty error when the model
    // is not a spec, nullopt and an error when the spec is wrong.
    static std::optional<FakeBehavior> fromModelSpec(QStringView model, QString *error);
    // The same grammar without "fake:", for tests. A bad spec is a bug in the
    // test, so it stops the program with the reason.
    static FakeBehavior fromSpec(QStringView spec);

private:
    template<typename Member, typename Value>
    FakeBehavior with(Member member, Value &&value) const
    {
        FakeBehavior copy = *this;
        copy.*member = std::forward<Value>(value);
        return copy;
    }
};

} // namespace gw::test
