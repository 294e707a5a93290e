#pragma once

#include <QObject>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class QSocketNotifier;

namespace gw {

// Readiness of many sockets through one epoll set, so that Qt's event loop
// watches a single descriptor. Qt 6.4's Unix dispatcher builds and polls an
// array of every socket notifier on each wake-up: with thousands of open
// streams that O(n) poll starved every other call (measured:
// bench/open-streams.sh). Each HTTP worker and each upstream client owns
// one, on its thread; level-triggered like
// QSocketNotifier, so code written against notifiers keeps its meaning.
class IoReactor : public QObject
{
    Q_OBJECT
public:
    enum Interest : uint32_t { None = 0, Read = 1, Write = 2 };
    // Called with the ready directions (Read, Write; errors and hang-ups
    // count as both, as poll(2) reports them to a notifier).
    using Handler = std::function<void(uint32_t ready)>;

    explicit IoReactor(QObject *parent = nullptr);
    ~IoReactor() override;

    bool isValid() const { return m_epoll >= 0; }

    // Registers `fd` (not yet watched) with an interest and a handler.
    bool watch(int fd, uint32_t interest, Handler handler);
    void setInterest(int fd, uint32_t interest);
    uint32_t interest(int fd) const;
    bool isWatched(int fd) const { return fd >= 0 && size_t(fd) < m_entries.size() && m_entries[size_t(fd)].active; }
    // Forgets `fd`; safe from inside any handler, the fd's own included.
    void unwatch(int fd);

    size_t watched() const { return m_count; }

private:
    void dispatch();

    struct Entry
    {
        std::shared_ptr<Handler> handler; // shared: a running handler outlives its unwatch
        uint32_t interest = None;
        uint32_t generation = 0;
        bool active = false;
    };

    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::vector<Entry> m_entries; // indexed by fd
    size_t m_count = 0;
};

} // namespace gw
