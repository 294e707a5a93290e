#pragma once

#include <QString>

#include <memory>
#include <optional>

namespace gw {

// How many calls each API key has in flight, against its max_concurrency.
// tryAcquire() hands out a Ticket that holds one slot until it is destroyed
// or released, so a slot cannot leak on any path out of a relay session:
// the session holds the ticket and the slot goes with it. Tickets keep the
// counters alive themselves, so a ticket may outlive the limiter (a session
// finishing during shutdown). Keys with nothing in flight take no memory.
class ConcurrencyLimiter
{
    struct State;

public:
    class Ticket
    {
    public:
        Ticket() = default;
        Ticket(Ticket &&other) noexcept;
        Ticket &operator=(Ticket &&other) noexcept;
        Ticket(const Ticket &) = delete;
        Ticket &operator=(const Ticket &) = delete;
        ~Ticket();

        // Gives the slot back now rather than at destruction.
        void release();
        // False for an unlimited key's ticket and after release().
        bool holdsSlot() const { return m_state != nullptr; }

    private:
        friend class ConcurrencyLimiter;
        Ticket(std::shared_ptr<State> state, QString keyId);

        std::shared_ptr<State> m_state;
        QString m_keyId;
    };

    ConcurrencyLimiter();
    ~ConcurrencyLimiter();
    ConcurrencyLimiter(const ConcurrencyLimiter &) = delete;
    ConcurrencyLimiter &operator=(const ConcurrencyLimiter &) = delete;

    // A ticket, or nullopt when the key already has `cap` calls in flight.
    // cap <= 0 means unlimited: the ticket is empty and nothing is counted.
    std::optional<Ticket> tryAcquire(const QString &keyId, qint64 cap);

    qint64 inFlight(const QString &keyId) const;
    // Keys with at least one call in flight.
    size_t trackedKeys() const;

private:
    std::shared_ptr<State> m_state;
};

} // namespace gw
