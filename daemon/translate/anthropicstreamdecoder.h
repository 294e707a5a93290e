#pragma once

#include "anthropicchatjson.h"
#include "ssechatstreamdecoder.h"

#include <QHash>

namespace gw {

// Reads an Anthropic Messages stream (message_start, content_block_*,
// message_delta, message_stop; ping and unknown events ignored) into the
// IR's stream events. Blocks the IR cannot carry (server tool use and its
// results) are skipped, and the others renumbered from 0. A thinking
// block's signature_delta is kept and given with the block's BlockStop.
class AnthropicStreamDecoder final : public SseChatStreamDecoder
{
private:
    void handle(const SseEventParser::Event &event, QList<ir::StreamEvent> *out) override;
    void ensureStarted(QList<ir::StreamEvent> *out);
    void blockStart(const QJsonObject &data, QList<ir::StreamEvent> *out);
    void blockDelta(const QJsonObject &data, QList<ir::StreamEvent> *out);
    void closeBlock(QList<ir::StreamEvent> *out);
    void finishMessage(const QJsonObject &data, QList<ir::StreamEvent> *out);

    bool m_started = false;
    bool m_finished = false;
    AnthropicChatJson::UsageFields m_usage;
    int m_nextBlock = 0;
    int m_openUpstream = -1;    // Anthropic's index of the open block
    int m_openBlock = -1;       // its IR index
    ir::ContentPart::Kind m_openKind = ir::ContentPart::Kind::Text;
    QByteArray m_signature;     // of the open thinking block
};

} // namespace gw
