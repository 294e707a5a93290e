#pragma once

#include "fakebehavior.h"
#include "fakerecordedrequest.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>

namespace gw::test {

// Everything tests read or script, behind one mutex: the facade's methods run
// on the test's thread while the server answers on its own.
class FakeUpstreamState
{
public:
    void enqueue(const FakeBehavior &behavior);
    // The first queued behaviour matching the path, using up one of its count.
    std::optional<FakeBehavior> takeQueued(const QString &path);
    int queuedCount() const;
    void setDefaultBehavior(const FakeBehavior &behavior);
    FakeBehavior defaultBehavior() const;

    void setRequiredApiKey(const QString &key);
    QString requiredApiKey() const;

    void record(const FakeRecordedRequest &request);
    QList<FakeRecordedRequest> requests() const;
    void clearRequests();
    int requestCount() const;
    int nextSequence();

    // Per provider, so that one API's model list does not name another's models.
    void noteModel(const QString &provider, const QString &model);
    QStringList seenModels(const QString &provider) const;

    void addClientAbort();
    int clientAborts() const;
    void connectionOpened();
    void connectionClosed();
    int openConnections() const;

    // Back to a fresh server; open connections are the server's business.
    void reset();

private:
    mutable QMutex m_mutex;
    std::deque<FakeBehavior> m_queue;
    FakeBehavior m_default;
    QString m_requiredApiKey;
    QList<FakeRecordedRequest> m_requests;
    int m_requestCount = 0;
    int m_sequence = 0;
    QHash<QString, QStringList> m_seenModels; // provider -> models, first-seen order
    int m_clientAborts = 0;
    int m_openConnections = 0;
};

} // namespace gw::test
