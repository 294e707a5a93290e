#include "secretresolver.h"

#include <QStringBuilder>
#include <QFile>

namespace gw {

std::optional<QByteArray> SecretResolver::resolve(const QString &reference, QString *error)
{
    if (reference.startsWith(QLatin1String("env:"))) {
        const QByteArray name = reference.mid(4).toUtf8();
        if (!qEnvironmentVariableIsSet(name.constData())) {
            *error = QStringLiteral("environment variable %1 is not set").arg(QString::fromUtf8(name));
            return std::nullopt;
        }
        return qgetenv(name.constData());
    }
    if (reference.startsWith(QLatin1String("file:"))) {
        QFile file(reference.mid(5));
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(reference.mid(5), file.errorString());
            return std::nullopt;
        }
        QByteArray value = file.read(64 * 1024);
        while (value.endsWith('\n') || value.endsWith('\r'))
            value.chop(1);
        return value;
    }
    *error = QStringLiteral("unknown secret reference %1").arg(reference);
    return std::nullopt;
}

} // namespace gw
