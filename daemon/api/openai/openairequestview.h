#pragma once

#include "jsonobjectlayout.h"
#include "tokenestimator.h"

#include <QString>

#include <optional>

namespace gw {

// What the gateway reads from an OpenAI-style request body, without a
// document: the fields routing, holds and edits need, and where each
// top-level member sits (for JsonBodyEditor). A duplicated key is read as its
// last occurrence, as the upstreams' JSON parsers do; every occurrence was
// type-checked, and the prompt estimate counts them all.
struct OpenAiRequestView
{
    QString model;
    bool stream = false;
    std::optional<qint64> maxTokens;
    std::optional<qint64> maxCompletionTokens;
    std::optional<int> n;
    bool hasStreamOptions = false;  // an object (null counts as absent)
    bool includeUsage = false;      // stream_options.include_usage is already true
    int messageCount = 0;           // chat: elements of messages
    int inputCount = 0;             // embeddings: 1 for a single input, else the array's length
    qint64 textChars = 0;           // images: the prompt's code points; speech: the input's
    TokenEstimator prompt;          // measured prompt text, images, exact tokens
    JsonObjectLayout layout;

    qint64 estimatedPromptTokens() const { return prompt.tokens(); }
    // The output cap the caller asked for; max_completion_tokens supersedes
    // max_tokens as in OpenAI's API.
    std::optional<qint64> outputTokenLimit() const
    {
        return maxCompletionTokens ? maxCompletionTokens : maxTokens;
    }
};

} // namespace gw
