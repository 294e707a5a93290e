#pragma once

#include "chatcodec.h"

#include <QHash>
#include <QJsonObject>

namespace gw {

// Writes IR stream events as an Anthropic Messages stream. Anthropic gives
// the stop reason and the final usage together in message_delta, just
// before message_stop, so Finish and Usage are held and written at End.
class AnthropicStreamEncoder final : public ChatCodec::StreamEncoder
{
public:
    explicit AnthropicStreamEncoder(const QString &publicModel);

    QByteArray encode(const ir::StreamEvent &event) override;

private:
    struct Block
    {
        ir::ContentPart::Kind kind = ir::ContentPart::Kind::Text;
        bool redacted = false;
    };

    QByteArray messageStart(const ir::StreamEvent *start);

    QString m_model;
    bool m_started = false;
    QHash<int, Block> m_blocks;
    int m_tools = 0;
    bool m_finished = false;
    ir::StopReason m_stopReason = ir::StopReason::EndTurn;
    QString m_stopSequence;
    ir::Usage m_usage;
};

} // namespace gw
