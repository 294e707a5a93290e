#pragma once

#include "chatcodec.h"

#include <QHash>
#include <QJsonObject>

namespace gw {

// Writes IR stream events as an OpenAI chat completion stream: one
// chat.completion.chunk per delta, the finish chunk, and at End the usage
// chunk (when the caller asked for it and the upstream gave usage) and
// "data: [DONE]". Tool call blocks are numbered 0, 1, ... among tool calls,
// as OpenAI numbers tool_calls[].index.
class OpenAiStreamEncoder final : public ChatCodec::StreamEncoder
{
public:
    OpenAiStreamEncoder(const QString &publicModel, bool includeUsage);

    QByteArray encode(const ir::StreamEvent &event) override;

private:
    void ensureStarted(const ir::StreamEvent *start);
    QJsonObject chunkHeader() const;
    QByteArray deltaChunk(const QJsonObject &delta, const QJsonValue &finishReason) const;

    QString m_model;
    bool m_includeUsage;
    bool m_started = false;
    QString m_id;
    qint64 m_created = 0;
    QHash<int, ir::ContentPart::Kind> m_blockKinds;
    QHash<int, int> m_toolIndex;  // block index -> tool_calls[].index
    int m_tools = 0;
    ir::Usage m_usage;
};

} // namespace gw
