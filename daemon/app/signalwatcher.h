#pragma once

#include <QObject>

class QSocketNotifier;

namespace gw {

// Turns SIGTERM and SIGINT into a Qt signal on the main thread (a signal
// handler may only write to a pipe; the event loop reads it).
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace gw
