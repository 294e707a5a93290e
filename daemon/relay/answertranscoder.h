#pragma once

#include "relayrequest.h"
#include "routing/routecandidate.h"
#include "usagerecord.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <optional>

namespace gw {

// One attempt's conversation with an upstream, in the caller's terms: the
// body the channel is sent, and its answer (whole or streamed) as the caller
// must see it, with what it used. The relay session owns the attempt loop,
// the money and the connection; a transcoder owns the shapes. Same-family
// calls pass through with surgical edits (the public model name, usage for
// streams); calls across families go through the family-neutral IR.
class AnswerTranscoder
{
public:
    struct StreamStep
    {
        QByteArray out;        // bytes for the caller, now
        bool sawEvent = false; // the upstream sent at least one event
        QString upstreamError; // the upstream reported an error inside the stream
        QString malformed;     // the stream could not be read
    };

    // `defaultMaxTokens`: the output cap for families that require one
    // (Anthropic) when the caller set none. Null, with the reason, when no
    // transcoder joins the two families for this operation.
    static std::unique_ptr<AnswerTranscoder> create(RelayRequest &request, ApiFamily upstreamFamily,
                                                    qint64 defaultMaxTokens, QString *refusal);
    virtual ~AnswerTranscoder() = default;

    // The body for this channel; nullopt, with the reason, when the channel
    // cannot take the request (a feature its family lacks).
    virtual std::optional<QByteArray> requestBody(const RouteCandidate &candidate, QString *refusal) = 0;

    virtual StreamStep feed(QByteArrayView bytes) = 0;
    // The upstream closed the stream without a transport error.
    virtual StreamStep finish() = 0;
    // The stream ended as its family ends a complete answer.
    virtual bool streamComplete() const = 0;
    // The end of the caller's stream, held back until the charge is recorded.
    virtual QByteArray streamTrailer() = 0;
    // An error event in the caller's shape that ends the caller's stream.
    virtual QByteArray streamError(const QString &message, const QString &code) = 0;
    virtual QByteArray streamContentType() const { return QByteArrayLiteral("text/event-stream; charset=utf-8"); }
    // The answer as it was streamed, for payload storage.
    virtual QByteArray streamedAnswer(qsizetype maxBytes) const = 0;

    // A non-streamed answer for the caller; nullopt (with why) when the
    // upstream's body cannot be read.
    virtual std::optional<QByteArray> answer(const QByteArray &upstreamBody, QString *problem) = 0;
    // What the usage log keeps of a non-streamed answer: the answer itself,
    // unless it is not text (audio).
    virtual QByteArray storedAnswer(const QByteArray &answer) const { return answer; }
    // An upstream's refusal of the caller's request (a 4xx), in the caller's shape.
    virtual QByteArray errorBody(int status, const QByteArray &upstreamBody, QByteArray *contentType) const = 0;

    // What the answer used, as far as it went: tokens (estimated when the
    // upstream reported none), the finish reason, characters delivered.
    virtual void fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const = 0;
};

} // namespace gw
