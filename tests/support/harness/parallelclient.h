#pragma once

#include <QByteArray>
#include <QList>

namespace gw::test {

// Sends many HTTP/1.1 requests at once, each on its own connection (unlike
// QNetworkAccessManager, which keeps six per host), and collects the status
// line and x-request-id of each answer. A connection that closes without a
// complete answer reports status 0.
class ParallelClient
{
public:
    struct Answer
    {
        int status = 0;
        QByteArray requestId;
        QByteArray body;
    };

    static QList<Answer> post(quint16 port, const QByteArray &path, const QList<QPair<QByteArray, QByteArray>> &headers,
                              const QByteArray &body, int count, int timeoutMs = 30000);
};

} // namespace gw::test
