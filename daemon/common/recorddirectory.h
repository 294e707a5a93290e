#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <mutex>
#include <shared_mutex>

namespace gw {

// Records the request path needs without SQL (users' status and plan,
// plans, projects), by id, in memory. Loaded at start, kept current by the
// services that change them, read concurrently by every HTTP thread.
template <typename Record>
class RecordDirectory
{
public:
    using Ptr = std::shared_ptr<const Record>;

    Ptr find(const QString &id) const
    {
        std::shared_lock lock(m_mutex);
        return m_records.value(id);
    }

    QList<Ptr> all() const
    {
        std::shared_lock lock(m_mutex);
        return m_records.values();
    }

    void replaceAll(const QList<Record> &records)
    {
        QHash<QString, Ptr> next;
        for (const Record &r : records)
            next.insert(r.id, std::make_shared<const Record>(r));
        std::unique_lock lock(m_mutex);
        m_records.swap(next);
    }

    void upsert(const Record &record)
    {
        auto ptr = std::make_shared<const Record>(record);
        std::unique_lock lock(m_mutex);
        m_records.insert(record.id, std::move(ptr));
    }

    void remove(const QString &id)
    {
        std::unique_lock lock(m_mutex);
        m_records.remove(id);
    }

private:
    mutable std::shared_mutex m_mutex;
    QHash<QString, Ptr> m_records;
};

} // namespace gw
