#include "connectionsettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <memory>

namespace gw::console {

namespace {

const QString UrlKey = QStringLiteral("connection/url");
const QString TokenKey = QStringLiteral("connection/token");

constexpr QFile::Permissions OwnerOnly = QFile::ReadOwner | QFile::WriteOwner;

std::unique_ptr<QSettings> openSettings(const QString &fileName)
{
    if (fileName.isEmpty())
        return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope,
                                           QStringLiteral("gateway"), QStringLiteral("gateway-console"));
    return std::make_unique<QSettings>(fileName, QSettings::IniFormat);
}

} // namespace

ConnectionSettings::ConnectionSettings(const QString &fileName)
    : m_fileName(fileName)
{
}

QString ConnectionSettings::fileName() const
{
    return openSettings(m_fileName)->fileName();
}

ConnectionSettings::Stored ConnectionSettings::load() const
{
    const auto settings = openSettings(m_fileName);
    Stored stored;
    stored.url = QUrl(settings->value(UrlKey).toString(), QUrl::StrictMode);
    stored.token = settings->value(TokenKey).toString();
    stored.rememberToken = !stored.token.isEmpty();
    // Someone may have widened the mode since; a token must not stay readable.
    if (stored.rememberToken)
        restrictToOwner();
    return stored;
}

bool ConnectionSettings::save(const QUrl &url, const QString &token, bool rememberToken)
{
    const bool keepToken = rememberToken && !token.isEmpty();
    // Before the token is written: QSettings replaces the file through
    // QSaveFile, which keeps the mode of an existing file, so the token never
    // lands in a file others can read, not even for a moment.
    if (keepToken && !restrictToOwner()) {
        save(url, {}, false);
        return false;
    }

    const auto settings = openSettings(m_fileName);
    settings->setValue(UrlKey, url.adjusted(QUrl::RemoveUserInfo).toString());
    if (keepToken)
        settings->setValue(TokenKey, token);
    else
        settings->remove(TokenKey);
    settings->sync();
    if (settings->status() != QSettings::NoError)
        return false;
    return !keepToken || restrictToOwner();
}

bool ConnectionSettings::restrictToOwner() const
{
    const QString path = fileName();
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QFile file(path);
    if (!file.exists()) {
        // Created empty with the final mode, so that the first write of the
        // token already finds it restricted.
        if (!file.open(QIODevice::WriteOnly | QIODevice::Append, OwnerOnly))
            return false;
        file.close();
    }
    return file.setPermissions(OwnerOnly);
}

} // namespace gw::console
