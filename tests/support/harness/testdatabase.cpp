#include "testdatabase.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace gw::test {

namespace {

QString serverUrl()
{
    return qEnvironmentVariable("GATEWAY_TEST_POSTGRES");
}

// Runs one statement on the server's maintenance connection.
bool adminExec(const QString &sql, QString *error)
{
    QString why;
    const auto url = DatabaseUrl::parse(serverUrl(), &why);
    if (!url) {
        *error = why;
        return false;
    }
    const QString name = QStringLiteral("gw-test-admin-") + QUuid::createUuid().toString(QUuid::Id128);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(url->host);
        db.setPort(url->port);
        db.setUserName(url->user);
        db.setPassword(url->password);
        db.setDatabaseName(url->database);
        if (!db.open()) {
            *error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            ok = q.exec(sql);
            if (!ok)
                *error = q.lastError().text();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

QStringList TestDatabase::dialects()
{
    QStringList out{QStringLiteral("sqlite")};
    if (!serverUrl().isEmpty())
        out.append(QStringLiteral("postgres"));
    return out;
}

TestDatabase::TestDatabase(const QString &dialect)
    : m_dialect(dialect)
{
    if (dialect == QLatin1String("sqlite")) {
        m_dir = std::make_unique<QTemporaryDir>();
        m_url = QStringLiteral("sqlite:") + m_dir->filePath(QStringLiteral("test.db"));
        m_valid = m_dir->isValid();
        return;
    }
    const QString name = QStringLiteral("gwt_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
    if (!adminExec(QStringLiteral("CREATE DATABASE %1").arg(name), &m_error))
        return;
    m_dropName = name;
    QString server = serverUrl();
    const qsizetype slash = server.lastIndexOf(QLatin1Char('/'));
    const qsizetype query = server.indexOf(QLatin1Char('?'), slash);
    m_url = server.left(slash + 1) + name + (query >= 0 ? server.mid(query) : QString());
    m_valid = true;
}

TestDatabase::~TestDatabase()
{
    if (!m_dropName.isEmpty()) {
        QString ignored;
        adminExec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_dropName), &ignored);
    }
}

DatabaseUrl TestDatabase::parsed() const
{
    QString error;
    return *DatabaseUrl::parse(m_url, &error);
}

} // namespace gw::test
