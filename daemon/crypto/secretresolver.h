#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace gw {

// Resolves a channel's secret reference: "env:NAME" reads the daemon's
// environment, "file:/path" reads a file (trailing newline dropped). The
// database holds only the reference.
class SecretResolver
{
public:
    static std::optional<QByteArray> resolve(const QString &reference, QString *error);
};

} // namespace gw
