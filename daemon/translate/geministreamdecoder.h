#pragma once

#include "chatcodec.h"
#include "api/openai/sseeventparser.h"
#include "geminijsonarrayscanner.h"

#include <QJsonObject>

namespace gw {

// Reads a Gemini stream: server-sent events (alt=sse, which the relay always
// asks for) or, told apart by its first byte, the streamed JSON array Gemini
// sends otherwise. Every event or element is a whole GenerateContentResponse;
// this turns them into the IR's block events. Gemini sends no event for the
// end: the chunk with a finishReason is the last, and the stream is complete
// when the upstream closes after it.
class GeminiStreamDecoder : public ChatCodec::StreamDecoder
{
public:
    QList<ir::StreamEvent> feed(QByteArrayView bytes, QString *error) override;
    QList<ir::StreamEvent> finish(bool *complete, QString *error) override;

private:
    enum class Framing { Unknown, Sse, JsonArray };

    void feedFramed(QByteArrayView bytes, QList<ir::StreamEvent> *out, QString *error);
    void chunk(const QByteArray &json, QList<ir::StreamEvent> *out, QString *error);
    void response(const QJsonObject &response, QList<ir::StreamEvent> *out);
    void part(const QJsonObject &part, QList<ir::StreamEvent> *out);
    void openBlock(ir::ContentPart::Kind kind, QList<ir::StreamEvent> *out);
    void closeBlock(QList<ir::StreamEvent> *out);
    void malformed(const QString &message, QString *error);

    Framing m_framing = Framing::Unknown;
    SseEventParser m_sse;
    GeminiJsonArrayScanner m_array;
    bool m_started = false;
    bool m_finished = false;
    bool m_stopped = false;      // an upstream error event, or unreadable input
    QString m_malformed;
    int m_nextIndex = 0;
    int m_openIndex = -1;
    ir::ContentPart::Kind m_openKind = ir::ContentPart::Kind::Text;
    QByteArray m_signature;      // of the open Thinking block
    int m_calls = 0;
    ir::Usage m_usage;
};

} // namespace gw
