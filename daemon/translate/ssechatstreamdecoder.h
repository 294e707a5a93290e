#pragma once

#include "api/openai/sseeventparser.h"
#include "chatcodec.h"

namespace gw {

// The part of a stream decoder that every SSE family shares: bytes in,
// events parsed, each handed to the family's handle(); the first failure
// stops the stream and is reported from then on.
class SseChatStreamDecoder : public ChatCodec::StreamDecoder
{
public:
    QList<ir::StreamEvent> feed(QByteArrayView bytes, QString *error) override;
    QList<ir::StreamEvent> finish(bool *complete, QString *error) override;

protected:
    virtual void handle(const SseEventParser::Event &event, QList<ir::StreamEvent> *out) = 0;
    void fail(const QString &why);

    QString m_error;
    bool m_finishing = false;    // in finish(): a last event cut short is not malformed
    bool m_done = false;         // End or Error emitted, or malformed: the rest is ignored
    bool m_ended = false;        // End emitted

private:
    void run(const QList<SseEventParser::Event> &events, const QString &parseError, QList<ir::StreamEvent> *out);

    SseEventParser m_parser;
};

} // namespace gw
