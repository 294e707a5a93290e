#include "fakeupstreamstate.h"

#include <QMutexLocker>

namespace gw::test {

void FakeUpstreamState::enqueue(const FakeBehavior &behavior)
{
    QMutexLocker lock(&m_mutex);
    m_queue.push_back(behavior);
}

std::optional<FakeBehavior> FakeUpstreamState::takeQueued(const QString &path)
{
    QMutexLocker lock(&m_mutex);
    for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
        if (!it->matchesPath(path))
            continue;
        FakeBehavior chosen = *it;
        if (it->count > 0 && --it->count == 0)
            m_queue.erase(it);
        return chosen;
    }
    return std::nullopt;
}

int FakeUpstreamState::queuedCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_queue.size());
}

void FakeUpstreamState::setDefaultBehavior(const FakeBehavior &behavior)
{
    QMutexLocker lock(&m_mutex);
    m_default = behavior;
}

FakeBehavior FakeUpstreamState::defaultBehavior() const
{
    QMutexLocker lock(&m_mutex);
    return m_default;
}

void FakeUpstreamState::setRequiredApiKey(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    m_requiredApiKey = key;
}

QString FakeUpstreamState::requiredApiKey() const
{
    QMutexLocker lock(&m_mutex);
    return m_requiredApiKey;
}

void FakeUpstreamState::record(const FakeRecordedRequest &request)
{
    QMutexLocker lock(&m_mutex);
    m_requests.append(request);
    ++m_requestCount;
}

QList<FakeRecordedRequest> FakeUpstreamState::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

void FakeUpstreamState::clearRequests()
{
    QMutexLocker lock(&m_mutex);
    m_requests.clear();
}

int FakeUpstreamState::requestCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_requestCount;
}

int FakeUpstreamState::nextSequence()
{
    QMutexLocker lock(&m_mutex);
    return ++m_sequence;
}

void FakeUpstreamState::noteModel(const QString &provider, const QString &model)
{
    QMutexLocker lock(&m_mutex);
    QStringList &models = m_seenModels[provider];
    if (!model.isEmpty() && !models.contains(model))
        models.append(model);
}

QStringList FakeUpstreamState::seenModels(const QString &provider) const
{
    QMutexLocker lock(&m_mutex);
    return m_seenModels.value(provider);
}

void FakeUpstreamState::addClientAbort()
{
    QMutexLocker lock(&m_mutex);
    ++m_clientAborts;
}

int FakeUpstreamState::clientAborts() const
{
    QMutexLocker lock(&m_mutex);
    return m_clientAborts;
}

void FakeUpstreamState::connectionOpened()
{
    QMutexLocker lock(&m_mutex);
    ++m_openConnections;
}

void FakeUpstreamState::connectionClosed()
{
    QMutexLocker lock(&m_mutex);
    --m_openConnections;
}

int FakeUpstreamState::openConnections() const
{
    QMutexLocker lock(&m_mutex);
    return m_openConnections;
}

void FakeUpstreamState::reset()
{
    QMutexLocker lock(&m_mutex);
    m_queue.clear();
    m_default = FakeBehavior();
    m_requiredApiKey.clear();
    m_requests.clear();
    m_requestCount = 0;
    m_sequence = 0;
    m_seenModels.clear();
    m_clientAborts = 0;
}

} // namespace gw::test
