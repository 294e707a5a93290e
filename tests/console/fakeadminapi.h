#pragma once

#include <adminapi.h>

#include <QJsonArray>
#include <QList>

namespace gw::console::testing {

// Stands in for the daemon: requests wait in a queue until the test answers
// them, so that ordering (late replies, a second refresh) is under control.
class FakeAdminApi final : public AdminApi
{
public:
    struct Request
    {
        QString verb;
        QString path;
        QJsonObject body;
        Callback done;
    };

    void setEndpoint(const QUrl &baseUrl, const QString &token) override;
    void get(const QString &path, Callback done) override;
    void post(const QString &path, const QJsonObject &body, Callback done) override;
    void patch(const QString &path, const QJsonObject &body, Callback done) override;
    void remove(const QString &path, Callback done) override;

    qsizetype pendingCount() const { return m_pending.size(); }
    QString pendingPath(qsizetype i = 0) const { return m_pending.at(i).path; }
    // Every path requested so far, answered or not.
    QStringList requestedPaths() const { return m_requested; }

    // Answers the oldest (or the i-th) outstanding request.
    void respond(const Reply &reply);
    void respondAt(qsizetype i, const Reply &reply);

    QUrl baseUrl;
    QString token;
    int endpointChanges = 0;

    // Replies shaped the way gw::AdminClient produces them.
    static Reply ok(const QJsonObject &body, int status = 200);
    static Reply ok(const QByteArray &json);
    static Reply apiError(int status, const QString &message, const QString &type = QStringLiteral("invalid_request_error"));
    static Reply unreachable(const QString &why = QStringLiteral("Connection refused"));
    // {"data": items, "next_cursor": cursor or null}
    static QJsonObject page(const QJsonArray &items, const QString &nextCursor = {});

private:
    void enqueue(const QString &verb, const QString &path, const QJsonObject &body, Callback done);

    QList<Request> m_pending;
    QStringList m_requested;
};

} // namespace gw::console::testing
