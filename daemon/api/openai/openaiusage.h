#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace gw {

// Token usage as an OpenAI-style response reports it (chat completions,
// their final stream chunk, embeddings), or as the gateway estimated it.
struct OpenAiUsage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;
    qint64 cachedTokens = 0;         // prompt_tokens_details.cached_tokens
    qint64 reasoningTokens = 0;      // completion_tokens_details.reasoning_tokens
    bool estimated = false;          // made up by the gateway, not reported

    // Reads a "usage" object. Missing, null, negative or non-integer counts
    // read as 0; total_tokens, when missing, is the sum. Nullopt when `json`
    // is not an object.
    static std::optional<OpenAiUsage> fromJson(QByteArrayView json);
    // The usage of a whole response body (or of one stream chunk); nullopt
    // when it has none (see OpenAiResponseInfo for its id and model too).
    static std::optional<OpenAiUsage> fromResponse(QByteArrayView body);

    bool operator==(const OpenAiUsage &) const = default;
};

} // namespace gw
