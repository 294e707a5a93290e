#include "instanceid.h"

#include "crypto/securerandom.h"

#include <QDir>
#include <QFile>

namespace gw {

QString InstanceId::loadOrCreate(const QString &dataDir, QString *error)
{
    QFile file(QDir(dataDir).filePath(QStringLiteral("daemon-id")));
    if (file.open(QIODevice::ReadOnly)) {
        const QString id = QString::fromLatin1(file.readAll().trimmed());
        if (id.startsWith(QLatin1String("gwd_")) && id.size() >= 20)
            return id;
        file.close();
    }
    const QString id = QStringLiteral("gwd_") + QString::fromLatin1(SecureRandom::base62(20));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(id.toLatin1() + '\n') <= 0) {
        *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return {};
    }
    return id;
}

} // namespace gw
