#pragma once

#include "nativepassthrough.h"

namespace gw {

// Anthropic Messages to an Anthropic channel: the event sequence goes to the
// caller as it comes, message_start with the public model name, and
// message_stop held back until the call's charge is recorded.
class AnthropicPassthrough : public NativePassthrough
{
public:
    explicit AnthropicPassthrough(const RelayRequest &request);

    bool streamComplete() const override;
    QByteArray streamTrailer() override;
    QByteArray streamError(const QString &message, const QString &code) override;

protected:
    void forward(const SseEventParser::Event &event, const Decoded &decoded, StreamStep &step) override;
    QByteArrayView modelKey() const override { return "model"; }
    bool modelInBody() const override { return true; }

private:
    QByteArray m_pending; // message_start (and pings), until content follows
    QByteArray m_trailer;
};

} // namespace gw
