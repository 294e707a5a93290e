#pragma once

#include "databaseurl.h"
#include "outcome.h"
#include "storejobqueue.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <future>
#include <memory>
#include <vector>

namespace gw {

class SqlSession;
class StoreThread;

// The only way the daemon reaches its database. Writes go to one writer
// thread that commits whatever is waiting in one transaction (group commit);
// reads go to a small pool of reader threads with their own connections. A
// caller on an HTTP thread never waits: it passes a context object, and the
// completion is posted back to that object's thread.
class Store
{
public:
    Store(const DatabaseUrl &url, int readers);
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    const DatabaseUrl &url() const { return m_url; }
    SqlDialect dialect() const { return m_url.dialect; }

    template <typename R>
    void write(QObject *context, std::function<R(SqlSession &)> work, std::function<void(Outcome<R>)> done)
    {
        m_writes->push(makeJob<R>(context, std::move(work), std::move(done)));
    }
    // As write(), and `onCommitted` runs on the writer thread right after the
    // commit, before any later write: for memory that mirrors the database.
    template <typename R>
    void write(QObject *context, std::function<R(SqlSession &)> work, std::function<void(const R &)> onCommitted,
               std::function<void(Outcome<R>)> done)
    {
        m_writes->push(makeJob<R>(context, std::move(work), std::move(done), std::move(onCommitted)));
    }

    // As write(), for work nobody waits on: it may be committed a few
    // milliseconds later, together with more (see StoreThread).
    template <typename R>
    void writeInBackground(QObject *context, std::function<R(SqlSession &)> work, std::function<void(Outcome<R>)> done)
    {
        StoreJob job = makeJob<R>(context, std::move(work), std::move(done));
        job.background = true;
        m_writes->push(std::move(job));
    }

    template <typename R>
    void read(QObject *context, std::function<R(SqlSession &)> work, std::function<void(Outcome<R>)> done)
    {
        m_reads->push(makeJob<R>(context, std::move(work), std::move(done)));
    }

    // A read that sees every write queued before it. Where some writes are
    // queued after the caller was answered (the local ledger's batches), such
    // reads go through the writer's queue; otherwise they are plain reads.
    template <typename R>
    void readFresh(QObject *context, std::function<R(SqlSession &)> work, std::function<void(Outcome<R>)> done)
    {
        (m_freshReadsOnWriter ? m_writes : m_reads)->push(makeJob<R>(context, std::move(work), std::move(done)));
    }
    void setFreshReadsOnWriter(bool on) { m_freshReadsOnWriter = on; }

    // Fire and forget: failures are logged.
    void writeDetached(std::function<void(SqlSession &)> work);
    // A writer job as the writer sees it: its `committed` and `failed` run on
    // the writer thread, in commit order (for state that must follow the
    // database's order exactly).
    void submitWrite(StoreJob job) { m_writes->push(std::move(job)); }

    // For start-up, shutdown and tests: never call these on an HTTP thread.
    template <typename R>
    Outcome<R> writeAndWait(std::function<R(SqlSession &)> work)
    {
        return wait<R>(m_writes, std::move(work));
    }
    template <typename R>
    Outcome<R> readAndWait(std::function<R(SqlSession &)> work)
    {
        return wait<R>(m_reads, std::move(work));
    }

    size_t writeBacklog() const { return m_writes->size(); }
    quint64 writeBatches() const;
    quint64 writesDone() const;

    // Lets queued work finish, then stops the threads.
    void close();

private:
    template <typename R>
    static StoreJob makeJob(QObject *context, std::function<R(SqlSession &)> work,
                            std::function<void(Outcome<R>)> done, std::function<void(const R &)> onCommitted = {})
    {
        auto result = std::make_shared<std::optional<R>>();
        auto finish = std::make_shared<std::function<void(Outcome<R>)>>(std::move(done));
        QPointer<QObject> guard(context);
        auto deliver = [guard, finish](Outcome<R> outcome) {
            if (!*finish)
                return;
            if (!guard)
                return; // the caller is gone; nobody waits for this answer
            // The completion moves into the posted call, so that whatever it
            // holds (an HTTP exchange, say) is released on the caller's thread.
            QMetaObject::invokeMethod(guard.data(), [cb = std::move(*finish), o = std::move(outcome)]() mutable {
                cb(std::move(o));
            }, Qt::QueuedConnection);
        };
        StoreJob job;
        job.run = [work = std::move(work), result](SqlSession &session) { result->emplace(work(session)); };
        job.committed = [deliver, result, onCommitted = std::move(onCommitted)]() {
            if (onCommitted)
                onCommitted(**result);
            deliver(Outcome<R>(std::move(**result)));
        };
        job.failed = [deliver](const StoreError &e) { deliver(Outcome<R>(e)); };
        return job;
    }

    template <typename R>
    static Outcome<R> wait(const std::shared_ptr<StoreJobQueue> &queue, std::function<R(SqlSession &)> work)
    {
        auto promise = std::make_shared<std::promise<Outcome<R>>>();
        auto result = std::make_shared<std::optional<R>>();
        StoreJob job;
        job.run = [work = std::move(work), result](SqlSession &session) { result->emplace(work(session)); };
        job.committed = [promise, result]() { promise->set_value(Outcome<R>(std::move(**result))); };
        job.failed = [promise](const StoreError &e) { promise->set_value(Outcome<R>(e)); };
        auto future = promise->get_future();
        queue->push(std::move(job));
        return future.get();
    }

    DatabaseUrl m_url;
    std::shared_ptr<StoreJobQueue> m_writes;
    std::shared_ptr<StoreJobQueue> m_reads;
    StoreThread *m_writer = nullptr;
    std::vector<StoreThread *> m_readers;
    bool m_closed = false;
    bool m_freshReadsOnWriter = false;
};

} // namespace gw
