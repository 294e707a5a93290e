#pragma once

#include "access/admission.h"
#include "access/apikeyrecord.h"
#include "http/apifamily.h"
#include "translate/chatir.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace gw {

enum class RelayOperation { Chat, Embeddings, Images, Speech };

// What a family's controller hands the relay: the call, already parsed and
// checked (key, model, body shape).
struct RelayRequest
{
    ApiFamily family = ApiFamily::OpenAI;   // the caller's
    QString familyName = QStringLiteral("openai");
    RelayOperation operation = RelayOperation::Chat;
    QString endpoint;        // "chat", "embeddings": the usage log's name
    QString modelId;         // the public id the caller asked for
    bool stream = false;
    bool includeUsageAsked = false; // the caller itself asked for stream_options.include_usage
    bool sseFraming = true;  // Gemini callers: alt=sse (true) or a streamed JSON array
    bool batchEmbeddings = false; // Gemini callers: batchEmbedContents rather than embedContent
    QByteArray body;         // as the caller sent it
    // The call in the family-neutral form, for channels of another family.
    // Controllers that decoded it already pass it; otherwise the relay
    // decodes the body the first time a channel needs a translation.
    std::shared_ptr<const ir::ChatRequest> chat;
    std::shared_ptr<const ApiKeyRecord> key;
    qint64 estimatedPromptTokens = 0;
    std::optional<qint64> maxTokens;
    int images = 0;          // images: how many were asked for (n)
    qint64 textChars = 0;    // speech: code points of the input, what it is priced by
    QByteArray presentedKey; // the caller's key as sent: provider blocks match its prefix
    Admission admission;     // what the access gate let in (limits consumed, concurrency slot)
    QString clientIp;
    QString userAgent;
};

} // namespace gw
