#pragma once

#include "fakebehavior.h"
#include "fakerecordedrequest.h"

#include <QHostAddress>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace gw::test {

class FakeUpstreamServer;
class FakeUpstreamState;

// A fake AI provider for tests: OpenAI's chat completions, embeddings and
// models, Anthropic's Messages API and Gemini's generateContent family (JSON
// and streams for each), scriptable per request for fault injection (see
// FakeBehavior), recording every provider request. README.md has the shapes.
//
// Every public method is thread-safe. start() serves from the calling
// thread's event loop, which QTRY_* and QSignalSpy::wait() spin; use
// startInThread() when the test blocks without an event loop (a synchronous
// helper, QProcess::waitFor*, a QEventLoop in another object's thread) or
// just to keep the fake independent of the test's loop. Signals are always
// delivered on the thread that owns this object.
//
// Typical use:
//     FakeUpstream fake;
//     QVERIFY(fake.startInThread());
//     fake.enqueue(FakeBehavior().withStatus(500));
//     ... point an OpenAI channel at fake.baseUrl() + "/v1", an Anthropic or
//     a Gemini channel at fake.baseUrl() ...
//     QTRY_COMPARE(fake.clientAborts(), 1);
class FakeUpstream : public QObject
{
    Q_OBJECT

public:
    explicit FakeUpstream(QObject *parent = nullptr);
    ~FakeUpstream() override;

    bool start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    bool startInThread(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    // Closes the listener and every connection. Also done by the destructor.
    void stop();
    bool isRunning() const;
    QString errorString() const;

    quint16 port() const;
    QString baseUrl() const; // "http://127.0.0.1:PORT", no trailing slash, no /v1

    // FIFO; the next request whose path matches consumes one use.
    void enqueue(const FakeBehavior &behavior);
    int queuedBehaviors() const;
    void setDefaultBehavior(const FakeBehavior &behavior);
    FakeBehavior defaultBehavior() const;
    // The key requests must carry in their provider's credential (Bearer,
    // x-api-key, x-goog-api-key or ?key=); empty (the default) accepts any
    // key, but some key is always required.
    void setRequiredApiKey(const QString &key);

    // Provider requests (not /_fake/ ones), oldest first.
    QList<FakeRecordedRequest> requests() const;
    FakeRecordedRequest lastRequest() const;
    int requestCount() const; // since reset(); clearRequests() does not lower it
    void clearRequests();
    // Queue, default, API key, requests, counters and ids back to fresh, and
    // connections still being answered (hanging, delayed, streaming) closed,
    // so that nothing from one test leaks into the next.
    void reset();

    // Requests whose client closed the connection before the answer was
    // complete (during a delay, a hang or a stream).
    int clientAborts() const;
    int openConnections() const;

Q_SIGNALS:
    void requestReceived();
    void clientAborted();

private:
    bool startServer(quint16 port, const QHostAddress &address, bool ownThread);
    template<typename Function>
    void runOnServerThread(Function function) const;

    std::shared_ptr<FakeUpstreamState> m_state;
    // Guards the server's lifetime against start/stop/reset from several
    // threads. The getters stay off it: with start() a reset() from another
    // thread holds it while waiting for this thread's event loop.
    QRecursiveMutex m_lifecycle;
    FakeUpstreamServer *m_server = nullptr;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_running = false;
    std::atomic<quint16> m_port = 0;
    mutable QMutex m_infoMutex;
    QHostAddress m_address;
    QString m_errorString;
};

} // namespace gw::test
