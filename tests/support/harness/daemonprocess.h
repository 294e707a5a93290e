#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace gw::test {

// One HTTP answer as a test sees it.
struct HttpResult
{
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray header(const QByteArray &name) const;
};

// Blocking HTTP for tests (QNetworkAccessManager in a local event loop).
HttpResult httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                       const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 30000);

// The real gatewayd (GATEWAYD_BINARY) in a temporary data directory,
// listening on a port it picks itself, started and stopped like production.
class DaemonProcess
{
public:
    struct Options
    {
        QStringList arguments;          // extra command-line options
        QString database;               // --database, empty for the embedded SQLite
        QByteArray adminToken = "test-admin-token-0123456789";  // empty: let gatewayd generate one
        QString dataDir;                // empty: a fresh temporary directory
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        bool expectFailure = false;     // start() returns once the process exits
    };

    DaemonProcess();
    explicit DaemonProcess(Options options);
    ~DaemonProcess();

    bool start(QString *error = nullptr);
    // SIGTERM and wait; returns the exit code (-1 when it had to be killed).
    int stop(int timeoutMs = 15000);
    void kill();
    int waitForExit(int timeoutMs = 15000);

    qint64 pid() const { return m_process.processId(); }
    quint16 port() const { return m_port; }
    quint16 adminPort() const { return m_adminPort ? m_adminPort : m_port; }
    QUrl url(const QString &path, bool admin = false) const;
    QString dataDir() const { return m_dataDir; }
    QByteArray adminToken() const { return m_adminToken; }
    QByteArray standardOutput();
    QByteArray standardError();
    int exitCode() const { return m_process.exitCode(); }

    HttpResult get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    // Admin call with this daemon's admin token (or another one).
    HttpResult admin(const QByteArray &method, const QString &path, const QJsonObject &body = {},
                     const QByteArray &token = {});
    // VmRSS and VmHWM of the daemon, in KiB.
    qint64 residentKb() const;
    qint64 peakResidentKb() const;

private:
    qint64 procStatus(const char *field) const;

    Options m_options;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dataDir;
    QByteArray m_adminToken;
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    quint16 m_port = 0;
    quint16 m_adminPort = 0;
};

} // namespace gw::test
