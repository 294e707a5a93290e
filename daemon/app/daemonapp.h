#pragma once

#include "daemonoptions.h"

#include <QObject>

#include <memory>

namespace gw {

class GatewayCore;
class HttpServer;
class MemoryTrimmer;

// gatewayd from start to stop: options, data directory, master key,
// database, in-memory state, the HTTP front, and a drain on SIGTERM.
class DaemonApp : public QObject
{
    Q_OBJECT

public:
    enum ExitCode { CleanExit = 0, BadOptions = 2, DatabaseFailure = 3 };

    static int run(int argc, char **argv);

private:
    explicit DaemonApp(const DaemonOptions &options);
    ~DaemonApp() override;

    int start();
    void beginShutdown(int signal);
    void checkDrained();

    DaemonOptions m_options;
    std::unique_ptr<GatewayCore> m_core;
    std::unique_ptr<HttpServer> m_http;
    std::unique_ptr<MemoryTrimmer> m_trimmer;
    qint64 m_drainDeadlineMs = 0;
    bool m_shuttingDown = false;
};

} // namespace gw
