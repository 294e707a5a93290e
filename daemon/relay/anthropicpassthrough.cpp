#include "anthropicpassthrough.h"

#include "http/sseevent.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

AnthropicPassthrough::AnthropicPassthrough(const RelayRequest &request)
    : NativePassthrough(request, ApiFamily::Anthropic)
{
}

void AnthropicPassthrough::forward(const SseEventParser::Event &event, const Decoded &decoded, StreamStep &step)
{
    if (decoded.end || event.event == "message_stop") {
        m_trailer = event.raw;
        return;
    }
    // message_start and pings wait for content: an upstream that fails right
    // after its start (overloaded) can still be replaced by another channel.
    if (event.event == "message_start") {
        QJsonObject start = QJsonDocument::fromJson(event.data).object();
        QJsonObject message = start.value(QStringLiteral("message")).toObject();
        if (message.contains(QStringLiteral("model"))) {
            message.insert(QStringLiteral("model"), m_request.modelId);
            start.insert(QStringLiteral("message"), message);
            m_pending += SseEvent::format(QJsonDocument(start).toJson(QJsonDocument::Compact), event.event);
        } else {
            m_pending += event.raw;
        }
        return;
    }
    if (event.event == "ping" && !m_pending.isEmpty()) {
        m_pending += event.raw;
        return;
    }
    step.out += std::exchange(m_pending, QByteArray());
    step.out += event.raw;
}

bool AnthropicPassthrough::streamComplete() const
{
    return m_tally.sawEnd() || m_tally.sawFinish();
}

QByteArray AnthropicPassthrough::streamTrailer()
{
    const QByteArray pending = std::exchange(m_pending, QByteArray());
    if (!m_trailer.isEmpty())
        return pending + std::exchange(m_trailer, QByteArray());
    // A stream that ended after message_delta without message_stop still
    // ends properly for the caller.
    return pending + SseEvent::format(R"({"type":"message_stop"})", "message_stop");
}

QByteArray AnthropicPassthrough::streamError(const QString &message, const QString &code)
{
    ir::StreamEvent error;
    error.kind = ir::StreamEvent::Kind::Error;
    error.message = message;
    error.code = code;
    return std::exchange(m_pending, QByteArray()) + m_codec->streamEncoder(m_request.modelId, false, true)->encode(error);
}

} // namespace gw
