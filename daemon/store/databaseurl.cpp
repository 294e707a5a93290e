#include "databaseurl.h"

#include <QUrl>
#include <QUrlQuery>

namespace gw {

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, QString *error)
{
    DatabaseUrl out;
    if (text.startsWith(QLatin1String("sqlite:"))) {
        out.dialect = SqlDialect::Sqlite;
        out.path = text.mid(7);
        if (out.path.startsWith(QLatin1String("//")))
            out.path = out.path.mid(2);
        if (out.path.isEmpty()) {
            *error = QStringLiteral("sqlite: URL needs a file path, e.g. sqlite:data/gateway.db");
            return std::nullopt;
        }
        return out;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("postgres") && url.scheme() != QLatin1String("postgresql"))) {
        *error = QStringLiteral("database URL must be sqlite:PATH or postgres://user:pass@host:port/dbname");
        return std::nullopt;
    }
    out.dialect = SqlDialect::Postgres;
    out.host = url.host().isEmpty() ? QStringLiteral("localhost") : url.host();
    out.port = url.port(5432);
    out.user = url.userName(QUrl::FullyDecoded);
    out.password = url.password(QUrl::FullyDecoded);
    out.database = url.path().mid(1);
    if (out.database.isEmpty()) {
        *error = QStringLiteral("postgres URL needs a database name: postgres://user:pass@host:port/dbname");
        return std::nullopt;
    }
    QStringList options;
    const QUrlQuery query(url);
    for (const auto &item : query.queryItems(QUrl::FullyDecoded))
        options.append(item.first + QLatin1Char('=') + item.second);
    out.options = options.join(QLatin1Char(';'));
    return out;
}

QString DatabaseUrl::display() const
{
    if (dialect == SqlDialect::Sqlite)
        return QStringLiteral("sqlite:") + path;
    return QStringLiteral("postgres://%1%2@%3:%4/%5")
        .arg(user, password.isEmpty() ? QString() : QStringLiteral(":***"), host)
        .arg(port)
        .arg(database);
}

} // namespace gw
