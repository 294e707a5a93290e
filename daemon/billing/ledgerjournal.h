#pragma once

#include "ledgerevent.h"

#include <QString>

#include <map>
#include <mutex>
#include <vector>

namespace gw {

// The local ledger's durability: every decision that moves money (a charge,
// a release, a new subscription month) is appended here with one write(2)
// before the caller hears of it; an opened hold is written with the next one
// (see append()). Without fsync that survives a
// killed process (the page cache outlives it), not a power cut, which is the
// durability rule ARCHITECTURE.md sets. The database follows in batches; a
// segment file is deleted once every event in it is committed there, and
// whatever is left at start is replayed (applying an event twice is harmless).
class LedgerJournal
{
public:
    explicit LedgerJournal(const QString &directory, qint64 segmentBytes = 4 * 1024 * 1024);
    ~LedgerJournal();
    LedgerJournal(const LedgerJournal &) = delete;
    LedgerJournal &operator=(const LedgerJournal &) = delete;

    // Start-up: the events of every segment a previous run left, oldest
    // first. A torn last line (a write cut by a crash) is not an event.
    std::vector<LedgerEvent> readLeftovers(int *damagedLines, QString *error) const;
    // After the leftovers are in the database.
    void removeLeftovers();
    // Opens a fresh segment for this run.
    bool open(QString *error);

    // Appends and stamps `event.segment`; false if the bytes did not reach
    // the file (then the decision must not stand).
    bool append(LedgerEvent &event, QString *error);
    // The database committed these: segments left with nothing outstanding
    // (and no longer written) are deleted.
    void committed(const std::vector<LedgerEvent> &events);

    // Shutdown: the file is closed, and deleted if the database has it all.
    void close();

    QString directory() const { return m_directory; }
    quint64 currentSegment() const;
    size_t segmentFiles() const;

private:
    QString segmentPath(quint64 segment) const;
    std::vector<quint64> existingSegments() const;
    bool openSegment(quint64 segment, QString *error);
    void removeIfDone(quint64 segment);
    bool writeLocked(const QByteArray &bytes, QString *error);

    // Opened holds waiting for the next write; bounded, so that a burst of
    // opens with no close among them still reaches the file.
    static constexpr qsizetype kMaxDeferredBytes = 64 * 1024;
    QByteArray m_deferred;

    QString m_directory;
    qint64 m_segmentBytes;
    mutable std::mutex m_mutex;
    int m_fd = -1;
    quint64 m_segment = 0;
    qint64 m_size = 0;
    std::map<quint64, quint64> m_outstanding;
};

} // namespace gw
