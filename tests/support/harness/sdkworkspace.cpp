#include "sdkworkspace.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>

namespace gw::test {

bool SdkWorkspace::prepare(QString *error)
{
    QFile manifest(m_sourceDir + QStringLiteral("/package.json"));
    if (!manifest.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1").arg(manifest.fileName());
        return false;
    }
    const QByteArray content = manifest.readAll();
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex().left(12));
    m_dir = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/gateway-sdk-checks-") + hash;
    QDir().mkpath(m_dir);
    const QStringList files = QDir(m_sourceDir).entryList({QStringLiteral("*.mjs"), QStringLiteral("package.json")}, QDir::Files);
    for (const QString &file : files) {
        QFile::remove(m_dir + QLatin1Char('/') + file);
        if (!QFile::copy(m_sourceDir + QLatin1Char('/') + file, m_dir + QLatin1Char('/') + file)) {
            *error = QStringLiteral("cannot copy %1 into %2").arg(file, m_dir);
            return false;
        }
    }
    if (QFile::exists(m_dir + QStringLiteral("/node_modules/.installed")))
        return true;
    QProcess npm;
    npm.setWorkingDirectory(m_dir);
    npm.start(QStringLiteral("npm"), {QStringLiteral("install"), QStringLiteral("--no-audit"), QStringLiteral("--no-fund"),
                                      QStringLiteral("--loglevel=error")});
    if (!npm.waitForFinished(600000) || npm.exitStatus() != QProcess::NormalExit || npm.exitCode() != 0) {
        *error = QStringLiteral("npm install failed: %1 %2").arg(QString::fromUtf8(npm.readAllStandardError()), npm.errorString());
        return false;
    }
    QFile marker(m_dir + QStringLiteral("/node_modules/.installed"));
    return marker.open(QIODevice::WriteOnly);
}

QJsonObject SdkWorkspace::run(const QString &script, const QProcessEnvironment &env, int *exitCode, QString *error) const
{
    QProcess node;
    node.setWorkingDirectory(m_dir);
    node.setProcessEnvironment(env);
    node.start(QStringLiteral("node"), {script});
    if (!node.waitForStarted(10000)) {
        *error = QStringLiteral("node is needed for the SDK checks: %1").arg(node.errorString());
        return {};
    }
    if (!node.waitForFinished(300000)) {
        node.kill();
        node.waitForFinished(5000);
        *error = QStringLiteral("%1 did not finish within 5 minutes").arg(script);
        return {};
    }
    *exitCode = node.exitCode();
    const QByteArray out = node.readAllStandardOutput();
    const QByteArray err = node.readAllStandardError();
    const QJsonObject results = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    if (results.isEmpty())
        *error = QString::fromUtf8(out + err);
    return results;
}

} // namespace gw::test
