#pragma once

#include "jsonobjectlayout.h"
#include "openaiusage.h"
#include "tokenestimator.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace gw {

// Follows a chat completion stream one event's data at a time and keeps what
// the gateway records once it ends: the assistant's text as the caller saw it
// (choice 0: content, reasoning, tool calls by index), the finish reason, the
// usage if any chunk carried it, and a running token estimate of everything
// generated (all choices) for when none did.
//
// Text is kept up to `retainBytes` per kind (content, reasoning, each tool
// call's arguments); the estimate and the character count cover all of it.
class OpenAiStreamAssembler
{
public:
    static constexpr qsizetype DefaultRetainBytes = 1024 * 1024;
    static constexpr int MaxToolCalls = 256;  // kept; more are only estimated

    enum class ChunkKind {
        Chunk,    // a JSON object (a completion chunk, or an error object)
        Done,     // the "[DONE]" sentinel
        Invalid,  // neither: counted, otherwise ignored
    };

    struct ToolCall
    {
        int index = 0;
        QByteArray id;
        QByteArray type;
        QByteArray name;
        QByteArray arguments;
    };

    explicit OpenAiStreamAssembler(qsizetype retainBytes = DefaultRetainBytes);

    // One event's data (the relay passes every data-bearing event).
    ChunkKind add(QByteArrayView data);
    // The same, handing out the chunk's layout for editing it (set only for
    // a whole, valid object with no surrounding whitespace, whose offsets
    // are then those of `data`).
    ChunkKind add(QByteArrayView data, std::optional<JsonObjectLayout> *layout);

    // Whether `data` is the usage-only chunk an include_usage stream ends
    // with ("choices": [] and a usage object), which a relay that asked for
    // usage on the caller's behalf holds back from a caller who did not.
    static bool isUsageOnlyChunk(QByteArrayView data);

    QString id() const { return m_id; }
    QString model() const { return m_model; }
    bool sawDone() const { return m_sawDone; }
    int chunkCount() const { return m_chunks; }
    int invalidChunkCount() const { return m_invalid; }
    QString errorMessage() const { return m_error; }  // from an {"error": ...} chunk

    const QByteArray &content() const { return m_content; }
    const QByteArray &reasoning() const { return m_reasoning; }
    const QList<ToolCall> &toolCalls() const { return m_toolCalls; }
    QByteArray finishReason() const { return m_finishReason; }
    bool truncated() const { return m_truncated; }  // some text went past retainBytes

    // Code points of delta.content over all choices: what the caller was sent.
    qint64 deliveredChars() const { return m_deliveredChars; }
    const std::optional<OpenAiUsage> &usage() const { return m_usage; }
    const TokenEstimator &completionEstimate() const { return m_estimate; }

    // The upstream's usage when it sent one; otherwise an estimate (marked
    // so) from `promptTokens` (the request's estimate) and the text seen.
    OpenAiUsage usageOrEstimate(qint64 promptTokens) const;

    // For storage: content, then each tool call as
    // "[tool_call <id> <name>] <arguments>" on a line of its own, cut to at
    // most `maxBytes` on a UTF-8 boundary. Reasoning is left out (reasoning()).
    QByteArray assembledText(qsizetype maxBytes) const;

private:
    void retain(QByteArray *into, QByteArrayView piece);
    ToolCall *toolCall(int index);  // null past MaxToolCalls

    qsizetype m_retainBytes;
    QString m_id;
    QString m_model;
    QString m_error;
    QByteArray m_content;
    QByteArray m_reasoning;
    QByteArray m_finishReason;
    QList<ToolCall> m_toolCalls;
    std::optional<OpenAiUsage> m_usage;
    TokenEstimator m_estimate;
    qint64 m_deliveredChars = 0;
    int m_chunks = 0;
    int m_invalid = 0;
    bool m_sawDone = false;
    bool m_truncated = false;
};

} // namespace gw
