#include "daemonprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

#include <csignal>

namespace gw::test {

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpResult httpRequest(const QByteArray &method, const QUrl &url, const QByteArray &body,
                       const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    if (!body.isEmpty() && !request.hasRawHeader("Content-Type"))
        request.setRawHeader("Content-Type", "application/json");
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = body.isEmpty() ? network.sendCustomRequest(request, method)
                                          : network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        r.headers.append({pair.first.toLower(), pair.second});
    if (r.status == 0)
        r.networkError = reply->errorString();
    reply->deleteLater();
    return r;
}

DaemonProcess::DaemonProcess()
    : DaemonProcess(Options())
{
}

DaemonProcess::DaemonProcess(Options options)
    : m_options(std::move(options))
{
    if (m_options.dataDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tempDir->filePath(QStringLiteral("data"));
    } else {
        m_dataDir = m_options.dataDir;
    }
    m_adminToken = m_options.adminToken;
}

DaemonProcess::~DaemonProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        stop(5000);
}

bool DaemonProcess::start(QString *error)
{
    const QString binary = qEnvironmentVariable("GATEWAYD_BINARY");
    if (binary.isEmpty()) {
        if (error)
            *error = QStringLiteral("GATEWAYD_BINARY is not set (run through ctest)");
        return false;
    }
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data"), m_dataDir,
                     QStringLiteral("--workers"), QStringLiteral("2")};
    if (!m_options.database.isEmpty())
        args << QStringLiteral("--database") << m_options.database;
    QProcessEnvironment env = m_options.environment;
    env.remove(QStringLiteral("GATEWAY_ADMIN_TOKEN"));
    if (!m_options.adminToken.isEmpty())
        env.insert(QStringLiteral("GATEWAY_ADMIN_TOKEN"), QString::fromLatin1(m_options.adminToken));
    if (m_options.environment.contains(QStringLiteral("GATEWAY_ADMIN_TOKEN")))
        env.insert(QStringLiteral("GATEWAY_ADMIN_TOKEN"), m_options.environment.value(QStringLiteral("GATEWAY_ADMIN_TOKEN")));
    args += m_options.arguments;
    m_process.setProcessEnvironment(env);
    m_process.setProgram(binary);
    m_process.setArguments(args);
    m_stdout.clear();
    m_stderr.clear();
    m_port = m_adminPort = 0;
    m_process.start();
    if (!m_process.waitForStarted(5000)) {
        if (error)
            *error = m_process.errorString();
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("listening on http://[^:]+:(\\d+)"));
    static const QRegularExpression adminApi(QStringLiteral("admin API on http://[^:]+:(\\d+)"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 20000) {
        m_process.waitForReadyRead(100);
        m_stdout += m_process.readAllStandardOutput();
        m_stderr += m_process.readAllStandardError();
        const QString out = QString::fromUtf8(m_stdout);
        const auto m = listening.match(out);
        const bool wantsAdmin = m_options.arguments.contains(QStringLiteral("--admin-listen"));
        const auto a = adminApi.match(out);
        if (m.hasMatch() && (!wantsAdmin || a.hasMatch())) {
            m_port = quint16(m.captured(1).toUInt());
            if (a.hasMatch())
                m_adminPort = quint16(a.captured(1).toUInt());
            if (m_adminToken.isEmpty()) {
                QFile tokenFile(QDir(m_dataDir).filePath(QStringLiteral("admin-token")));
                if (tokenFile.open(QIODevice::ReadOnly))
                    m_adminToken = tokenFile.readAll().trimmed();
            }
            return true;
        }
        if (m_process.state() == QProcess::NotRunning) {
            m_stdout += m_process.readAllStandardOutput();
            m_stderr += m_process.readAllStandardError();
            if (error)
                *error = QStringLiteral("gatewayd exited with %1: %2").arg(m_process.exitCode()).arg(QString::fromUtf8(m_stderr));
            return false;
        }
    }
    if (error)
        *error = QStringLiteral("gatewayd did not start listening: %1").arg(QString::fromUtf8(m_stderr));
    return false;
}

int DaemonProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    ::kill(pid_t(m_process.processId()), SIGTERM);
    return waitForExit(timeoutMs);
}

int DaemonProcess::waitForExit(int timeoutMs)
{
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        standardOutput();
        standardError();
        return -1;
    }
    standardOutput();
    standardError();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void DaemonProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

QByteArray DaemonProcess::standardOutput()
{
    m_stdout += m_process.readAllStandardOutput();
    return m_stdout;
}

QByteArray DaemonProcess::standardError()
{
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

QUrl DaemonProcess::url(const QString &path, bool admin) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(admin ? adminPort() : m_port).arg(path));
}

HttpResult DaemonProcess::get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return httpRequest("GET", url(path), {}, headers);
}

HttpResult DaemonProcess::admin(const QByteArray &method, const QString &path, const QJsonObject &body,
                                const QByteArray &token)
{
    const QByteArray payload = body.isEmpty() && (method == "GET" || method == "DELETE")
        ? QByteArray()
        : QJsonDocument(body).toJson(QJsonDocument::Compact);
    return httpRequest(method, url(QStringLiteral("/admin/v1") + path, true), payload,
                       {{"Authorization", "Bearer " + (token.isEmpty() ? m_adminToken : token)}});
}

qint64 DaemonProcess::procStatus(const char *field) const
{
    QFile status(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field) + 1).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

qint64 DaemonProcess::residentKb() const
{
    return procStatus("VmRSS");
}

qint64 DaemonProcess::peakResidentKb() const
{
    return procStatus("VmHWM");
}

} // namespace gw::test
