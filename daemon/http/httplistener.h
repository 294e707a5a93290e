#pragma once

#include <QHostAddress>
#include <QObject>

class QSocketNotifier;

namespace gw {

class HttpWorker;

// A listening socket owned by one worker thread. Each worker has its own
// socket on the same address (SO_REUSEPORT), so the kernel spreads new
// connections across the workers without a shared accept lock.
class HttpListener : public QObject
{
    Q_OBJECT

public:
    HttpListener(int fd, unsigned scope, HttpWorker *worker);
    ~HttpListener() override;

    void start();
    void stop();

    // Opens a non-blocking listening socket (SO_REUSEADDR; SO_REUSEPORT when
    // several workers are to share the address).
    static int openSocket(const QHostAddress &address, quint16 port, bool reusePort, QString *error);
    static quint16 localPort(int fd);

private:
    void acceptPending();

    int m_fd;
    unsigned m_scope;
    HttpWorker *m_worker;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace gw
