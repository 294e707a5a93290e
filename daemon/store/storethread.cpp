#include "storethread.h"

#include "observability/logger.h"
#include "sqlsession.h"

#include <chrono>

#include <memory>

namespace gw {

namespace {
constexpr size_t kMaxBatch = 512;
// Under load the writer lets background work gather between commits: each
// commit rewrites the last page of every table and index it touched (and the
// WAL frame headers), so a commit of a hundred calls' rows costs little more
// than one of ten. Only background jobs wait (usage rows, which are off the
// call's path, and the local ledger's batches, journaled before they were
// answered); a job someone waits for is taken at once. An idle writer
// commits at once too.
constexpr std::chrono::milliseconds kBackgroundCommitSpacing{10};
}

StoreThread::StoreThread(const DatabaseUrl &url, const QString &name, Role role, std::shared_ptr<StoreJobQueue> queue)
    : m_url(url)
    , m_name(name)
    , m_role(role)
    , m_queue(std::move(queue))
{
    setObjectName(name);
}

void StoreThread::run()
{
    std::unique_ptr<SqlSession> session;
    std::chrono::steady_clock::time_point notBefore; // for background jobs
    while (true) {
        std::vector<StoreJob> jobs = m_role == Role::Writer ? m_queue->take(kMaxBatch, notBefore) : m_queue->take(1);
        if (jobs.empty())
            return; // closed and drained
        if (!session) {
            try {
                session = std::make_unique<SqlSession>(m_url, m_name);
            } catch (const StoreError &e) {
                Logger::error("store connection failed", {{"thread", m_name}, {"error", e.message()}});
                for (StoreJob &job : jobs) {
                    if (job.failed)
                        job.failed(e);
                }
                QThread::msleep(200);
                continue;
            }
        }
        if (m_role == Role::Writer) {
            runWriterBatch(*session, jobs);
            notBefore = std::chrono::steady_clock::now() + kBackgroundCommitSpacing;
        } else {
            for (StoreJob &job : jobs)
                runReaderJob(*session, job);
        }
        if (!session->database().isOpen())
            session.reset();
    }
}

void StoreThread::runWriterBatch(SqlSession &session, std::vector<StoreJob> &jobs)
{
    std::vector<bool> ok(jobs.size(), false);
    std::vector<std::optional<StoreError>> errors(jobs.size());
    try {
        session.begin();
    } catch (const StoreError &e) {
        for (StoreJob &job : jobs) {
            if (job.failed)
                job.failed(e);
        }
        session.close();
        return;
    }
    const bool single = jobs.size() == 1;
    for (size_t i = 0; i < jobs.size(); ++i) {
        try {
            if (!single)
                session.execRaw(QStringLiteral("SAVEPOINT job"));
            jobs[i].run(session);
            session.finishAll();
            if (!single)
                session.execRaw(QStringLiteral("RELEASE SAVEPOINT job"));
            ok[i] = true;
        } catch (const StoreError &e) {
            session.finishAll();
            errors[i] = e;
            if (!single) {
                try {
                    session.execRaw(QStringLiteral("ROLLBACK TO SAVEPOINT job"));
                    session.execRaw(QStringLiteral("RELEASE SAVEPOINT job"));
                } catch (const StoreError &) {
                    // The transaction itself is broken; COMMIT below will say so.
                }
            }
        }
    }
    try {
        if (single && !ok[0])
            session.rollback();
        else
            session.commit();
    } catch (const StoreError &e) {
        session.rollback();
        for (size_t i = 0; i < jobs.size(); ++i) {
            if (ok[i]) {
                ok[i] = false;
                errors[i] = e;
            }
        }
        if (e.kind() == StoreError::Kind::Unavailable)
            session.close();
    }
    ++m_batches;
    m_jobs += jobs.size();
    for (size_t i = 0; i < jobs.size(); ++i) {
        if (ok[i]) {
            if (jobs[i].committed)
                jobs[i].committed();
        } else if (jobs[i].failed) {
            jobs[i].failed(*errors[i]);
        }
    }
}

void StoreThread::runReaderJob(SqlSession &session, StoreJob &job)
{
    try {
        job.run(session);
        session.finishAll();
        ++m_jobs;
        if (job.committed)
            job.committed();
    } catch (const StoreError &e) {
        session.finishAll();
        if (e.kind() == StoreError::Kind::Unavailable)
            session.close();
        if (job.failed)
            job.failed(e);
    }
}

} // namespace gw
