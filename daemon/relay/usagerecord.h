#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace gw {

// One upstream try of a request.
struct AttemptRecord
{
    int attempt = 0;
    qint64 startedAtMs = 0;
    QString channelId;
    QString model;
    QString upstreamModel;
    int status = 0;
    QString errorClass;     // ok, connect, timeout, 5xx, 429, auth, protocol, client
    QString errorMessage;
    qint64 latencyMs = 0;
    std::optional<qint64> ttfbMs;
    QString upstreamRequestId;
};

// One public API request: who, what, how it went, what it used, and (when
// payload storage is on) the capped bodies.
struct UsageRecord
{
    QByteArray requestId;
    qint64 createdAtMs = 0;
    QString userId;
    QString keyId;
    QString projectId;
    QString family;         // openai, anthropic, gemini
    QString endpoint;       // chat, embeddings, images, speech
    QString model;          // the public model id asked for
    QString upstreamModel;
    QString channelId;      // the channel that answered (or the last one tried)
    int status = 0;         // what the caller got; 499 when the caller went away first
    QString errorCode;
    QString errorMessage;
    bool stream = false;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 images = 0;      // images generated
    bool estimated = false;
    qint64 latencyMs = 0;
    std::optional<qint64> ttfbMs;
    QString finishReason;
    QString cutReason;      // client_gone, upstream_cut, upstream_error
    qint64 deliveredBytes = 0;
    qint64 deliveredChars = 0;
    qint64 credits = 0;
    qint64 upstreamCost = 0;
    QByteArray prices;      // the model's price list the call was charged at (JSON)
    QString upstreamRequestId;
    QString clientIp;
    QString userAgent;
    QList<AttemptRecord> attempts;

    bool storePayload = false;
    QByteArray requestBody;
    QByteArray responseBody;
    bool requestTruncated = false;
    bool responseTruncated = false;
};

} // namespace gw
