#pragma once

#include "chatir.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gw {

// Pieces of Anthropic's Messages shape that the codec, its stream decoder and
// its stream encoder all write or read.
class AnthropicChatJson
{
public:
    // Anthropic splits the prompt: input_tokens is only the part that was
    // neither read from nor written to the cache. The IR counts the whole.
    // A stream reports usage in pieces (message_start, message_delta), each
    // a cumulative total of the fields it has; this keeps the latest of each.
    struct UsageFields
    {
        std::optional<qint64> input;       // input_tokens
        std::optional<qint64> cacheRead;   // cache_read_input_tokens
        std::optional<qint64> cacheWrite;  // cache_creation_input_tokens
        std::optional<qint64> output;      // output_tokens

        void merge(const QJsonObject &usage);
        bool any() const { return input || cacheRead || cacheWrite || output; }
        ir::Usage toIr() const;
    };

    static ir::Usage usageFromJson(const QJsonObject &usage);
    // All four counts (input_tokens = the whole prompt minus the cached parts).
    static QJsonObject usageToJson(const ir::Usage &usage);

    // A tool_use input object as the IR's compact JSON text, and back: text
    // that is not a JSON object gives nullopt (Anthropic requires an object).
    static QByteArray argumentsFromInput(const QJsonObject &input);
    static std::optional<QJsonObject> inputFromArguments(const QByteArray &arguments);

    static QString newMessageId();
};

} // namespace gw
