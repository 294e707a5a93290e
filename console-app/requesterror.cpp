#include "requesterror.h"

namespace gw::console {

RequestError::RequestError(int status, const QString &message)
    : m_status(status)
    , m_message(message)
    , m_set(true)
{
}

RequestError RequestError::fromReply(const AdminApi::Reply &reply)
{
    return RequestError(reply.status, reply.error);
}

QString RequestError::displayText() const
{
    if (!m_set)
        return {};
    if (m_status == 0) {
        return m_message.isEmpty() ? tr("Cannot reach the daemon")
                                   : tr("Cannot reach the daemon: %1").arg(m_message);
    }
    // AdminClient falls back to "HTTP <status>" when the body had no message;
    // repeating it after the status would read oddly.
    if (m_message.isEmpty() || m_message == QStringLiteral("HTTP %1").arg(m_status))
        return tr("HTTP %1").arg(m_status);
    return tr("HTTP %1: %2").arg(m_status).arg(m_message);
}

} // namespace gw::console
