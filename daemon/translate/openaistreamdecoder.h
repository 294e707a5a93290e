#pragma once

#include "ssechatstreamdecoder.h"

#include <QSet>

namespace gw {

// Reads an OpenAI chat completion stream (chat.completion.chunk events, then
// "data: [DONE]") into the IR's stream events. Only choice 0 is translated.
// Content, reasoning and each tool call (by its index) become blocks in the
// order they begin; a block is stopped when another kind of delta begins,
// since the IR never interleaves blocks. A tool call whose arguments go on
// after another block began cannot be expressed that way and makes the
// stream malformed (no OpenAI model streams so).
class OpenAiStreamDecoder final : public SseChatStreamDecoder
{
private:
    void handle(const SseEventParser::Event &event, QList<ir::StreamEvent> *out) override;
    void handleChunk(const QJsonObject &chunk, QList<ir::StreamEvent> *out);
    void start(const QJsonObject &chunk, QList<ir::StreamEvent> *out);
    void openBlock(const ir::ContentPart &part, QList<ir::StreamEvent> *out);
    void closeBlock(QList<ir::StreamEvent> *out);
    void textDelta(ir::ContentPart::Kind kind, const QString &text, QList<ir::StreamEvent> *out);

    bool m_started = false;
    bool m_finished = false;     // Finish emitted
    int m_nextBlock = 0;
    int m_openBlock = -1;
    ir::ContentPart::Kind m_openKind = ir::ContentPart::Kind::Text;
    int m_openTool = -1;         // OpenAI's index of the tool call in the open block
    QSet<int> m_seenTools;
    std::optional<ir::Usage> m_earlyUsage;  // usage that came before the finish
};

} // namespace gw
