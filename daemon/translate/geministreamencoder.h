#pragma once

#include "chatcodec.h"

#include <QHash>

namespace gw {

// Writes an answer as Gemini streams it, for a Gemini caller: one
// GenerateContentResponse per text delta or whole function call, framed as
// server-sent events (alt=sse) or as the elements of one JSON array. Gemini
// puts the finish reason and the usage in the last chunk, so both wait for
// End.
class GeminiStreamEncoder : public ChatCodec::StreamEncoder
{
public:
    GeminiStreamEncoder(const QString &publicModel, bool sse);

    QByteArray encode(const ir::StreamEvent &event) override;

private:
    struct Block
    {
        ir::ContentPart::Kind kind = ir::ContentPart::Kind::Text;
        QString name;
        QByteArray arguments;
        bool redacted = false;
    };

    QByteArray chunk(const QJsonArray &parts, const QString &finishReason = {}) const;
    QByteArray frame(const QByteArray &json);
    QByteArray close();

    QString m_publicModel;
    bool m_sse;
    QString m_id;
    QHash<int, Block> m_blocks;
    bool m_finished = false;
    ir::StopReason m_stopReason = ir::StopReason::EndTurn;
    ir::Usage m_usage;
    int m_chunks = 0;
    bool m_closed = false;
};

} // namespace gw
