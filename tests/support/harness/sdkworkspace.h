#pragma once

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>

namespace gw::test {

// The official client SDKs (npm packages pinned in tests/integration/sdk/
// package.json), installed once into a cache directory keyed by that file's
// hash, and the node scripts that drive them against the gateway.
class SdkWorkspace
{
public:
    explicit SdkWorkspace(const QString &sourceDir) : m_sourceDir(sourceDir) {}

    // Copies the scripts and installs the packages if they are not there yet.
    bool prepare(QString *error);
    QString directory() const { return m_dir; }

    // Runs `script` with node and reads the JSON object it prints last:
    // {check name: {"ok": bool, "error"?: text}}. Empty (with `error` set)
    // when it printed none.
    QJsonObject run(const QString &script, const QProcessEnvironment &env, int *exitCode, QString *error) const;

private:
    QString m_sourceDir;
    QString m_dir;
};

} // namespace gw::test
