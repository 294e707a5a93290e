#include "daemonoptions.h"

#include <QDir>

namespace gw {

std::optional<ListenAddress> ListenAddress::parse(const QString &text)
{
    QString host;
    QString port;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1String("]:"));
        if (close < 0)
            return std::nullopt;
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
    } else {
        const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
        if (colon < 0 || text.indexOf(QLatin1Char(':')) != colon)
            return std::nullopt;
        host = text.left(colon);
        port = text.mid(colon + 1);
    }
    bool ok = false;
    const uint p = port.toUInt(&ok);
    if (!ok || p > 65535)
        return std::nullopt;
    ListenAddress out;
    out.port = quint16(p);
    if (host.isEmpty() || host == QLatin1String("*"))
        out.address = QHostAddress(QHostAddress::AnyIPv4);
    else if (host == QLatin1String("localhost"))
        out.address = QHostAddress(QHostAddress::LocalHost);
    else if (!out.address.setAddress(host))
        return std::nullopt;
    return out;
}

QString ListenAddress::display() const
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

QString DaemonOptions::effectiveDatabaseUrl() const
{
    if (!databaseUrl.isEmpty())
        return databaseUrl;
    return QStringLiteral("sqlite:") + QDir(dataDir).filePath(QStringLiteral("gateway.db"));
}

QString DaemonOptions::effectiveMasterKeyFile() const
{
    return masterKeyFile.isEmpty() ? QDir(dataDir).filePath(QStringLiteral("master.key")) : masterKeyFile;
}

} // namespace gw
