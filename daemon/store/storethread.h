#pragma once

#include "databaseurl.h"
#include "storejobqueue.h"

#include <QThread>

#include <atomic>
#include <memory>

namespace gw {

// A thread that owns one connection and drains a job queue. As the writer
// it runs every job that is waiting in one transaction (group commit), each
// inside its own savepoint so that one failing job does not undo the others;
// as a reader it runs jobs one at a time outside any explicit transaction.
class StoreThread : public QThread
{
    Q_OBJECT

public:
    enum class Role { Writer, Reader };

    StoreThread(const DatabaseUrl &url, const QString &name, Role role, std::shared_ptr<StoreJobQueue> queue);

    // Batches committed and jobs run so far (for metrics and tests).
    quint64 batches() const { return m_batches.load(); }
    quint64 jobsRun() const { return m_jobs.load(); }

protected:
    void run() override;

private:
    void runWriterBatch(class SqlSession &session, std::vector<StoreJob> &jobs);
    void runReaderJob(class SqlSession &session, StoreJob &job);

    DatabaseUrl m_url;
    QString m_name;
    Role m_role;
    std::shared_ptr<StoreJobQueue> m_queue;
    std::atomic<quint64> m_batches{0};
    std::atomic<quint64> m_jobs{0};
};

} // namespace gw
