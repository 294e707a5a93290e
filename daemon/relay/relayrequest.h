#pragma once

#include "access/admission.h"
#include "access/apikeyrecord.h"
#include "http/apifamily.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace gw {

// What a family's codec hands the relay: the call, already parsed and
// checked (key, model, body shape).
struct RelayRequest
{
    ApiFamily family = ApiFamily::OpenAI;
    QString familyName = QStringLiteral("openai");
    QString endpoint;        // "chat", "embeddings"
    QString upstreamPath;    // below the provider's /v1: "/chat/completions", "/embeddings"
    QString modelId;         // the public id the caller asked for
    bool stream = false;
    bool includeUsageAsked = false; // the caller itself asked for stream_options.include_usage
    QByteArray body;         // as the caller sent it
    std::shared_ptr<const ApiKeyRecord> key;
    qint64 estimatedPromptTokens = 0;
    std::optional<qint64> maxTokens;
    QByteArray presentedKey; // the caller's key as sent: provider blocks match its prefix
    Admission admission;     // what the access gate let in (limits consumed, concurrency slot)
    QString clientIp;
    QString userAgent;
};

} // namespace gw
