#include "store.h"

#include "observability/logger.h"
#include "storethread.h"

namespace gw {

Store::Store(const DatabaseUrl &url, int readers)
    : m_url(url)
    , m_writes(std::make_shared<StoreJobQueue>())
    , m_reads(std::make_shared<StoreJobQueue>())
{
    m_writer = new StoreThread(url, QStringLiteral("store-writer"), StoreThread::Role::Writer, m_writes);
    m_writer->start();
    for (int i = 0; i < qMax(1, readers); ++i) {
        auto *reader = new StoreThread(url, QStringLiteral("store-reader-%1").arg(i), StoreThread::Role::Reader, m_reads);
        reader->start();
        m_readers.push_back(reader);
    }
}

Store::~Store()
{
    close();
}

void Store::writeDetached(std::function<void(SqlSession &)> work)
{
    StoreJob job;
    job.run = std::move(work);
    job.failed = [](const StoreError &e) { Logger::error("store write failed", {{"error", e.message()}}); };
    m_writes->push(std::move(job));
}

quint64 Store::writeBatches() const
{
    return m_writer ? m_writer->batches() : 0;
}

quint64 Store::writesDone() const
{
    return m_writer ? m_writer->jobsRun() : 0;
}

void Store::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_writes->close();
    m_reads->close();
    m_writer->wait();
    delete m_writer;
    m_writer = nullptr;
    for (StoreThread *reader : m_readers) {
        reader->wait();
        delete reader;
    }
    m_readers.clear();
}

} // namespace gw
