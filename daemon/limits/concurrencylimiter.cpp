#include "concurrencylimiter.h"

#include <QHash>

#include <array>
#include <mutex>

namespace gw {

struct ConcurrencyLimiter::State
{
    struct alignas(64) Shard
    {
        mutable std::mutex mutex;
        QHash<QString, qint64> counts;
    };
    static constexpr size_t kShards = 32;
    std::array<Shard, kShards> shards;

    Shard &shardOf(const QString &keyId) { return shards[qHash(keyId) % kShards]; }
    const Shard &shardOf(const QString &keyId) const { return shards[qHash(keyId) % kShards]; }

    void release(const QString &keyId)
    {
        Shard &shard = shardOf(keyId);
        std::lock_guard lock(shard.mutex);
        auto it = shard.counts.find(keyId);
        if (it == shard.counts.end())
            return;
        if (--it.value() <= 0)
            shard.counts.erase(it);
    }
};

ConcurrencyLimiter::Ticket::Ticket(std::shared_ptr<State> state, QString keyId)
    : m_state(std::move(state))
    , m_keyId(std::move(keyId))
{
}

ConcurrencyLimiter::Ticket::Ticket(Ticket &&other) noexcept
    : m_state(std::move(other.m_state))
    , m_keyId(std::move(other.m_keyId))
{
    other.m_state.reset();
}

ConcurrencyLimiter::Ticket &ConcurrencyLimiter::Ticket::operator=(Ticket &&other) noexcept
{
    if (this != &other) {
        release();
        m_state = std::move(other.m_state);
        m_keyId = std::move(other.m_keyId);
        other.m_state.reset();
    }
    return *this;
}

ConcurrencyLimiter::Ticket::~Ticket()
{
    release();
}

void ConcurrencyLimiter::Ticket::release()
{
    if (!m_state)
        return;
    m_state->release(m_keyId);
    m_state.reset();
}

ConcurrencyLimiter::ConcurrencyLimiter()
    : m_state(std::make_shared<State>())
{
}

ConcurrencyLimiter::~ConcurrencyLimiter() = default;

std::optional<ConcurrencyLimiter::Ticket> ConcurrencyLimiter::tryAcquire(const QString &keyId, qint64 cap)
{
    if (cap <= 0)
        return Ticket();
    State::Shard &shard = m_state->shardOf(keyId);
    {
        std::lock_guard lock(shard.mutex);
        qint64 &count = shard.counts[keyId];
        if (count >= cap)
            return std::nullopt;
        ++count;
    }
    return Ticket(m_state, keyId);
}

qint64 ConcurrencyLimiter::inFlight(const QString &keyId) const
{
    const State::Shard &shard = m_state->shardOf(keyId);
    std::lock_guard lock(shard.mutex);
    return shard.counts.value(keyId, 0);
}

size_t ConcurrencyLimiter::trackedKeys() const
{
    size_t n = 0;
    for (const State::Shard &shard : m_state->shards) {
        std::lock_guard lock(shard.mutex);
        n += size_t(shard.counts.size());
    }
    return n;
}

} // namespace gw
