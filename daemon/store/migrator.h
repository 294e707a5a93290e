#pragma once

#include "databaseurl.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gw {

class SqlSession;

// Versioned schema migrations, one numbered SQL file per version and dialect
// (resources/sql/<dialect>/NNNN_name.sql). Pending migrations are applied at
// start in one transaction and recorded in schema_version; on PostgreSQL an
// advisory lock makes daemons that start together migrate once.
class Migrator
{
public:
    struct Migration
    {
        int version = 0;
        QString name;
        QString sql;
    };

    static QList<Migration> available(SqlDialect dialect);
    static int latestVersion(SqlDialect dialect);
    static int currentVersion(SqlSession &session);
    // Applies what is missing up to `target` (-1: the latest); returns how
    // many migrations ran. Throws StoreError; nothing is half-applied.
    static int migrate(SqlSession &session, int target = -1);
    // Splits a script into statements at semicolons outside quotes and comments.
    static QStringList splitStatements(const QString &script);
};

} // namespace gw
