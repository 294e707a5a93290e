#include "ioreactor.h"

#include "observability/logger.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <memory>
#include <sys/epoll.h>
#include <unistd.h>

namespace gw {

namespace {

constexpr int kEventsPerWake = 256;

uint32_t toEpoll(uint32_t interest)
{
    uint32_t e = 0;
    if (interest & IoReactor::Read)
        e |= EPOLLIN | EPOLLRDHUP;
    if (interest & IoReactor::Write)
        e |= EPOLLOUT;
    return e;
}

uint64_t pack(int fd, uint32_t generation)
{
    return (uint64_t(generation) << 32) | uint32_t(fd);
}

} // namespace

IoReactor::IoReactor(QObject *parent)
    : QObject(parent)
{
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        Logger::error("epoll_create1 failed", {{"error", QString::fromLocal8Bit(std::strerror(errno))}});
        return;
    }
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] { dispatch(); });
}

IoReactor::~IoReactor()
{
    delete m_notifier;
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool IoReactor::watch(int fd, uint32_t interest, Handler handler)
{
    if (fd < 0 || m_epoll < 0)
        return false;
    if (size_t(fd) >= m_entries.size())
        m_entries.resize(size_t(fd) + 64);
    Entry &e = m_entries[size_t(fd)];
    if (e.active)
        unwatch(fd); // a reused descriptor whose owner forgot to let go
    ++e.generation;
    epoll_event ev{};
    ev.events = toEpoll(interest);
    ev.data.u64 = pack(fd, e.generation);
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
        Logger::error("epoll_ctl add failed", {{"fd", fd}, {"error", QString::fromLocal8Bit(std::strerror(errno))}});
        return false;
    }
    e.handler = std::make_shared<Handler>(std::move(handler));
    e.interest = interest;
    e.active = true;
    ++m_count;
    return true;
}

void IoReactor::setInterest(int fd, uint32_t interest)
{
    if (fd < 0 || size_t(fd) >= m_entries.size() || !m_entries[size_t(fd)].active)
        return;
    Entry &e = m_entries[size_t(fd)];
    if (e.interest == interest)
        return;
    epoll_event ev{};
    ev.events = toEpoll(interest);
    ev.data.u64 = pack(fd, e.generation);
    if (::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev) == 0)
        e.interest = interest;
}

uint32_t IoReactor::interest(int fd) const
{
    if (fd < 0 || size_t(fd) >= m_entries.size() || !m_entries[size_t(fd)].active)
        return None;
    return m_entries[size_t(fd)].interest;
}

void IoReactor::unwatch(int fd)
{
    if (fd < 0 || size_t(fd) >= m_entries.size() || !m_entries[size_t(fd)].active)
        return;
    Entry &e = m_entries[size_t(fd)];
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    e.active = false;
    e.interest = None;
    ++e.generation; // events already fetched for it are dropped
    e.handler.reset();
    --m_count;
}

void IoReactor::dispatch()
{
    epoll_event events[kEventsPerWake];
    const int n = ::epoll_wait(m_epoll, events, kEventsPerWake, 0);
    for (int i = 0; i < n; ++i) {
        const int fd = int(uint32_t(events[i].data.u64));
        const uint32_t generation = uint32_t(events[i].data.u64 >> 32);
        if (size_t(fd) >= m_entries.size())
            continue;
        Entry &e = m_entries[size_t(fd)];
        if (!e.active || e.generation != generation)
            continue; // forgotten by an earlier handler in this round
        const uint32_t got = events[i].events;
        uint32_t ready = 0;
        if (got & (EPOLLIN | EPOLLRDHUP | EPOLLPRI))
            ready |= Read;
        if (got & EPOLLOUT)
            ready |= Write;
        if (got & (EPOLLERR | EPOLLHUP))
            ready |= Read | Write;
        ready &= e.interest;
        if (ready == 0)
            continue;
        // Held: the handler may unwatch (or re-watch) its own descriptor.
        const std::shared_ptr<Handler> handler = e.handler;
        (*handler)(ready);
    }
}

} // namespace gw
