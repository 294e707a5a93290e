#pragma once

#include "store/databaseurl.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace gw::test {

// A fresh, empty database for one test: a temporary SQLite file, or a new
// PostgreSQL database created on the server GATEWAY_TEST_POSTGRES names
// (postgres://user:pass@host:port/db; the user needs CREATEDB) and dropped
// again afterwards.
class TestDatabase
{
public:
    // "sqlite", plus "postgres" when GATEWAY_TEST_POSTGRES is set: tests add
    // one data row per dialect, so PostgreSQL runs wherever it is configured.
    static QStringList dialects();

    explicit TestDatabase(const QString &dialect);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    bool isValid() const { return m_valid; }
    const QString &error() const { return m_error; }
    QString url() const { return m_url; }
    DatabaseUrl parsed() const;

private:
    QString m_dialect;
    QString m_url;
    QString m_dropName;
    std::unique_ptr<QTemporaryDir> m_dir;
    bool m_valid = false;
    QString m_error;
};

} // namespace gw::test
