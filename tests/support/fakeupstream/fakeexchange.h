#pragma once

#include "fakebehavior.h"
#include "fakereply.h"

#include <QObject>
#include <QPointer>

namespace gw::test {

class FakeHttpConnection;

// Sends one reply the way a behaviour says: after a delay, paced, cut,
// stalled or never. A child of its connection, so a client that leaves takes
// the exchange and its timers with it.
class FakeExchange : public QObject
{
    Q_OBJECT

public:
    FakeExchange(FakeHttpConnection *connection, FakeReply reply, FakeBehavior behavior);

    void start();

private:
    void respond();
    void pump();
    bool connectionUsable() const;
    void finish();

    QPointer<FakeHttpConnection> m_connection;
    FakeReply m_reply;
    FakeBehavior m_behavior;
    qsizetype m_sent = 0;
    bool m_waited = false; // the interval before event m_sent has passed
};

} // namespace gw::test
