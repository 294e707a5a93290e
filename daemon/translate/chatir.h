#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The family-neutral form of a chat call, through which the gateway
// translates between the OpenAI, Anthropic and Gemini shapes: every family
// decodes into it and encodes out of it, so three codecs cover all six
// directions. It carries what all three can express; what one family has and
// another lacks is refused with a 400 by the encoder that cannot express it,
// never dropped silently.
namespace gw::ir {

enum class Role { System, User, Assistant, Tool };

struct ContentPart
{
    enum class Kind {
        Text,
        Image,      // base64 data with its media type, or a URL
        ToolCall,   // the assistant asks for a function call
        ToolResult, // the answer to a tool call, sent back by the caller
        Thinking,   // reasoning text a model shows (Anthropic thinking, Gemini thought parts)
    };

    Kind kind = Kind::Text;
    QString text;               // Text, Thinking; ToolResult's text
    QByteArray imageBase64;     // Image, inline
    QString mediaType;          // Image: "image/png", ...
    QString imageUrl;           // Image by reference (https: or data:)
    QString toolCallId;         // ToolCall, ToolResult (the call it answers)
    QString toolName;           // ToolCall; ToolResult when known (Gemini needs it)
    QByteArray toolArguments;   // ToolCall: the arguments as compact JSON text (an object)
    bool toolError = false;     // ToolResult: the tool failed
    QByteArray signature;       // Thinking: the provider's signature, kept for same-family round trips
    bool redacted = false;      // Thinking: Anthropic's redacted_thinking (no text; the encrypted data is in signature)

    static ContentPart textPart(const QString &t)
    {
        ContentPart p;
        p.text = t;
        return p;
    }
};

struct Message
{
    Role role = Role::User;
    QList<ContentPart> parts;
};

struct Tool
{
    QString name;
    QString description;
    QJsonObject parameters; // JSON Schema of the arguments
};

struct ToolChoice
{
    enum class Mode { Auto, None, Required, Named };
    Mode mode = Mode::Auto;
    QString name; // Named
};

enum class ResponseFormat { Text, JsonObject, JsonSchema };

struct ChatRequest
{
    QString model;
    QList<ContentPart> system;  // system / developer instructions (text parts)
    QList<Message> messages;    // user, assistant and tool turns, in order
    QList<Tool> tools;
    std::optional<ToolChoice> toolChoice;
    bool parallelToolCalls = true;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;
    std::optional<qint64> maxTokens;
    QStringList stop;
    bool stream = false;
    bool includeUsage = false;  // OpenAI stream_options.include_usage
    ResponseFormat responseFormat = ResponseFormat::Text;
    QJsonObject jsonSchema;     // JsonSchema: {"name", "schema", "strict"?}
    std::optional<double> presencePenalty;
    std::optional<double> frequencyPenalty;
    std::optional<qint64> seed;
    QString user;               // end-user id (OpenAI user, Anthropic metadata.user_id)
    int candidateCount = 1;     // OpenAI n, Gemini candidateCount
    // Request fields the decoder understood as meaningful but the IR cannot
    // carry (OpenAI "logprobs", Anthropic "thinking", Gemini "cachedContent",
    // ...), by their name in the caller's family. A translated call that has
    // any is refused with a 400 naming them; a passthrough never decodes.
    QStringList untranslatable;
};

enum class StopReason { EndTurn, MaxTokens, StopSequence, ToolUse, ContentFilter, Error, Unknown };

struct Usage
{
    bool present = false;       // the upstream reported it (not an estimate)
    qint64 inputTokens = 0;     // the whole prompt, cached part included
    qint64 outputTokens = 0;    // the whole output, reasoning included
    qint64 cacheReadTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
};

struct ChatResponse
{
    QString id;
    QString model;
    qint64 createdSeconds = 0;
    QList<ContentPart> content; // Text, Thinking and ToolCall parts, in order
    StopReason stopReason = StopReason::EndTurn;
    QString stopSequence;
    Usage usage;
};

// One step of a streamed answer. A decoder emits, in this order: one Start;
// then per content block BlockStart, its deltas, BlockStop (blocks numbered
// 0, 1, 2... in the order they start, never interleaved: a block is stopped
// before the next one starts); then Finish (stop reason, and usage when the
// family reports it there); then possibly Usage (usage that comes after the
// finish, as OpenAI's usage-only chunk does); then End when the upstream
// stream completed properly ([DONE], message_stop, Gemini's closing chunk).
// Error replaces what is left when the upstream reports an error mid-stream.
// Usage values are cumulative totals, never increments: a later Usage
// replaces the fields it has. An encoder may hold output back (Anthropic's
// message_delta needs the final usage) and writes it when it gets End; the
// relay sends End's bytes only once the call's charge is recorded.
struct StreamEvent
{
    enum class Kind {
        Start,         // id, model, usage (input tokens when known)
        BlockStart,    // index, part (kind; ToolCall: toolCallId, toolName)
        TextDelta,     // index, text (for Text and Thinking blocks)
        ArgumentsDelta,// index, arguments fragment of a ToolCall block
        BlockStop,     // index; part.signature: a Thinking block's signature when the stream
                       // sent it at the block's end (Anthropic's signature_delta)
        Finish,        // stopReason, stopSequence, usage (when known)
        Usage,         // usage on its own (OpenAI's usage-only chunk)
        End,           // the stream is complete
        Error,         // message: the upstream broke off or reported an error
    };

    Kind kind = Kind::Start;
    int index = 0;
    ContentPart part;           // BlockStart
    QString text;               // TextDelta
    QByteArray arguments;       // ArgumentsDelta
    QString id;                 // Start
    QString model;              // Start
    qint64 createdSeconds = 0;  // Start (0: unknown, the encoder uses the current time)
    StopReason stopReason = StopReason::EndTurn; // Finish
    QString stopSequence;       // Finish
    Usage usage;                // Start, Finish, Usage
    QString message;            // Error
    QString code;               // Error: a machine-readable code ("stream_interrupted", "overloaded_error", ...)
};

} // namespace gw::ir
