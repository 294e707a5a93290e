#include "fakeexchange.h"

#include "fakehttpconnection.h"

#include <QTimer>

namespace gw::test {

FakeExchange::FakeExchange(FakeHttpConnection *connection, FakeReply reply, FakeBehavior behavior)
    : QObject(connection)
    , m_connection(connection)
    , m_reply(std::move(reply))
    , m_behavior(std::move(behavior))
{
}

void FakeExchange::start()
{
    // A plain hang answers nothing; the connection stays open until the
    // client gives up (counted) or the fake is reset or stopped.
    if (m_behavior.hang && m_behavior.cutAfterEvents < 0)
        return;
    if (m_behavior.delayMs > 0)
        QTimer::singleShot(m_behavior.delayMs, this, &FakeExchange::respond);
    else
        respond();
}

bool FakeExchange::connectionUsable() const
{
    return m_connection && !m_connection->isClosed();
}

void FakeExchange::respond()
{
    if (!connectionUsable())
        return;
    if (!m_reply.streaming) {
        if (m_behavior.cutAfterEvents >= 0) {
            // With hang the half body stays unfinished on an open socket.
            m_connection->sendTruncated(m_reply.status, m_reply.headers, m_reply.body, m_reply.body.size() / 2,
                                        !m_behavior.hang);
            if (m_behavior.hang)
                return;
        } else {
            m_connection->sendResponse(m_reply.status, m_reply.headers, m_reply.body);
        }
        finish();
        return;
    }
    m_connection->beginStream(m_reply.status, m_reply.headers);
    pump();
}

void FakeExchange::pump()
{
    while (connectionUsable()) {
        if (m_behavior.cutAfterEvents >= 0 && m_sent >= m_behavior.cutAfterEvents) {
            if (!m_behavior.hang) {
                m_connection->cut();
                finish();
            }
            return;
        }
        if (m_sent >= m_reply.events.size()) {
            m_connection->endStream();
            finish();
            return;
        }
        // The pause goes between events only: the first follows the headers
        // at once and the end follows the last event at once.
        if (m_sent > 0 && m_behavior.streamIntervalMs > 0 && !m_waited) {
            QTimer::singleShot(m_behavior.streamIntervalMs, this, [this] {
                m_waited = true;
                pump();
            });
            return;
        }
        m_waited = false;
        m_connection->writeStreamData(m_reply.events.at(m_sent++));
    }
}

void FakeExchange::finish()
{
    deleteLater();
}

} // namespace gw::test
