#include "geminipassthrough.h"

#include "http/sseevent.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

GeminiPassthrough::GeminiPassthrough(const RelayRequest &request)
    : NativePassthrough(request, ApiFamily::Gemini)
{
}

QByteArray GeminiPassthrough::frame(const QByteArray &chunk)
{
    if (m_request.sseFraming)
        return "data: " + chunk + "\r\n\r\n";
    const QByteArray lead = m_opened ? QByteArrayLiteral(",\r\n") : QByteArrayLiteral("[");
    m_opened = true;
    return lead + chunk;
}

void GeminiPassthrough::forward(const SseEventParser::Event &event, const Decoded &decoded, StreamStep &step)
{
    const QByteArray chunk = withPublicModel(event.data);
    // From the finishing chunk on, everything waits for the charge, in order.
    if (decoded.finish || decoded.end || !m_held.isEmpty()) {
        m_held += frame(chunk);
        return;
    }
    step.out += frame(chunk);
}

bool GeminiPassthrough::streamComplete() const
{
    return m_tally.sawFinish() || m_tally.sawEnd();
}

QByteArray GeminiPassthrough::streamTrailer()
{
    QByteArray out = std::exchange(m_held, QByteArray());
    if (!m_request.sseFraming)
        out += m_opened ? QByteArrayLiteral("]") : QByteArrayLiteral("[]");
    return out;
}

QByteArray GeminiPassthrough::streamError(const QString &message, const QString &)
{
    const QJsonObject error{{QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), 500},
                                                                  {QStringLiteral("message"), message},
                                                                  {QStringLiteral("status"), QStringLiteral("INTERNAL")}}}};
    QByteArray out = frame(QJsonDocument(error).toJson(QJsonDocument::Compact));
    if (!m_request.sseFraming)
        out += "]";
    return out;
}

QByteArray GeminiPassthrough::streamContentType() const
{
    return m_request.sseFraming ? QByteArrayLiteral("text/event-stream; charset=utf-8") : QByteArrayLiteral("application/json; charset=utf-8");
}

} // namespace gw
