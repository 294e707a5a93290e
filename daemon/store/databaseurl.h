#pragma once

#include <QString>

#include <optional>

namespace gw {

enum class SqlDialect { Sqlite, Postgres };

// The --database option: "sqlite:PATH" or
// "postgres://user:pass@host:port/dbname?sslmode=..." ("postgresql://" too).
struct DatabaseUrl
{
    SqlDialect dialect = SqlDialect::Sqlite;
    QString path;       // SQLite file
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString options;    // QPSQL connect options, e.g. "sslmode=require"

    static std::optional<DatabaseUrl> parse(const QString &text, QString *error);
    // The URL with the password masked: safe to log.
    QString display() const;
};

} // namespace gw
