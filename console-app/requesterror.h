#pragma once

#include "adminapi.h"

#include <QCoreApplication>
#include <QString>

namespace gw::console {

// A failed admin API call as the operator should see it: the HTTP status
// (0 when the daemon could not be reached) and the API's own error message.
class RequestError
{
    Q_DECLARE_TR_FUNCTIONS(gw::console::RequestError)

public:
    RequestError() = default;
    RequestError(int status, const QString &message);

    // Only for replies that are not ok().
    static RequestError fromReply(const AdminApi::Reply &reply);

    bool isSet() const { return m_set; }
    int status() const { return m_status; }
    QString message() const { return m_message; }

    // "HTTP 401: invalid admin token" or "Cannot reach the daemon: Connection refused".
    QString displayText() const;

    bool operator==(const RequestError &other) const = default;

private:
    int m_status = 0;
    QString m_message;
    bool m_set = false;
};

} // namespace gw::console
