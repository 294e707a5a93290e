#pragma once

#include "anthropicchatjson.h"
#include "api/openai/sseeventparser.h"
#include "chatcodec.h"

#include <QHash>

namespace gw {

// Reads an Anthropic Messages stream (message_start, content_block_*,
// message_delta, message_stop; ping and unknown events ignored) into the
// IR's stream events. Blocks the IR cannot carry (server tool use and its
// results) are skipped, and the others renumbered from 0. A thinking
// block's signature_delta is kept and given with the block's BlockStop.
class AnthropicStreamDecoder final : public ChatCodec::StreamDecoder
{
public:
    QList<ir::StreamEvent> feed(QByteArrayView bytes, QString *error) override;
    QList<ir::StreamEvent> finish(bool *complete, QString *error) override;

private:
    void handle(const SseEventParser::Event &event, QList<ir::StreamEvent> *out);
    void ensureStarted(QList<ir::StreamEvent> *out);
    void blockStart(const QJsonObject &data, QList<ir::StreamEvent> *out);
    void blockDelta(const QJsonObject &data, QList<ir::StreamEvent> *out);
    void closeBlock(QList<ir::StreamEvent> *out);
    void finishMessage(const QJsonObject &data, QList<ir::StreamEvent> *out);
    void fail(const QString &why);

    SseEventParser m_parser;
    QString m_error;
    bool m_finishing = false;    // in finish(): a last event cut short is not malformed
    bool m_started = false;
    bool m_finished = false;
    bool m_done = false;
    bool m_ended = false;
    AnthropicChatJson::UsageFields m_usage;
    int m_nextBlock = 0;
    int m_openUpstream = -1;    // Anthropic's index of the open block
    int m_openBlock = -1;       // its IR index
    ir::ContentPart::Kind m_openKind = ir::ContentPart::Kind::Text;
    QByteArray m_signature;     // of the open thinking block
};

} // namespace gw
