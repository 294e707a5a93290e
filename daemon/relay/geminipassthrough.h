#pragma once

#include "nativepassthrough.h"

namespace gw {

// Gemini generateContent to a Gemini channel. The channel is always asked
// for server-sent events; a caller that asked for the streamed JSON array
// gets the same chunks framed as one. Gemini has no end marker: the chunk
// that carries the finish reason is the last, and is held back until the
// call's charge is recorded.
class GeminiPassthrough : public NativePassthrough
{
public:
    explicit GeminiPassthrough(const RelayRequest &request);

    bool streamComplete() const override;
    QByteArray streamTrailer() override;
    QByteArray streamError(const QString &message, const QString &code) override;
    QByteArray streamContentType() const override;

protected:
    void forward(const SseEventParser::Event &event, const Decoded &decoded, StreamStep &step) override;
    QByteArrayView modelKey() const override { return "modelVersion"; }
    bool modelInBody() const override { return false; }

private:
    QByteArray frame(const QByteArray &chunk);

    QByteArray m_held;
    bool m_opened = false; // array framing: "[" went out
};

} // namespace gw
