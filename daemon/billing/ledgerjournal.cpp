#include "ledgerjournal.h"

#include "observability/logger.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace gw {

namespace {
const QString kPrefix = QStringLiteral("ledger-");
const QString kSuffix = QStringLiteral(".journal");
} // namespace

LedgerJournal::LedgerJournal(const QString &directory, qint64 segmentBytes)
    : m_directory(directory)
    , m_segmentBytes(segmentBytes)
{
}

LedgerJournal::~LedgerJournal()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QString LedgerJournal::segmentPath(quint64 segment) const
{
    return QDir(m_directory).filePath(kPrefix + QString::number(segment).rightJustified(10, QLatin1Char('0')) + kSuffix);
}

std::vector<quint64> LedgerJournal::existingSegments() const
{
    std::vector<quint64> segments;
    const QStringList names = QDir(m_directory).entryList({kPrefix + QStringLiteral("*") + kSuffix}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        bool ok = false;
        const quint64 n = name.mid(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size()).toULongLong(&ok);
        if (ok)
            segments.push_back(n);
    }
    std::sort(segments.begin(), segments.end());
    return segments;
}

std::vector<LedgerEvent> LedgerJournal::readLeftovers(int *damagedLines, QString *error) const
{
    std::vector<LedgerEvent> events;
    *damagedLines = 0;
    for (const quint64 segment : existingSegments()) {
        QFile file(segmentPath(segment));
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
            return {};
        }
        const QByteArray all = file.readAll();
        qsizetype start = 0;
        while (start < all.size()) {
            const qsizetype end = all.indexOf('\n', start);
            if (end < 0)
                break; // torn by a crash mid-write: never acknowledged to anyone
            const auto event = LedgerEvent::decode(all.mid(start, end - start));
            if (event)
                events.push_back(*event);
            else
                ++*damagedLines;
            start = end + 1;
        }
    }
    return events;
}

void LedgerJournal::removeLeftovers()
{
    std::lock_guard lock(m_mutex);
    for (const quint64 segment : existingSegments()) {
        if (m_fd >= 0 && segment == m_segment)
            continue;
        QFile::remove(segmentPath(segment));
    }
}

bool LedgerJournal::open(QString *error)
{
    if (!QDir().mkpath(m_directory)) {
        *error = QStringLiteral("cannot create %1").arg(m_directory);
        return false;
    }
    const auto segments = existingSegments();
    std::lock_guard lock(m_mutex);
    return openSegment(segments.empty() ? 1 : segments.back() + 1, error);
}

bool LedgerJournal::openSegment(quint64 segment, QString *error)
{
    const QByteArray path = QFile::encodeName(segmentPath(segment));
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = QStringLiteral("cannot open %1: %2").arg(QString::fromLocal8Bit(path), QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    const int previous = m_fd;
    const quint64 previousSegment = m_segment;
    m_fd = fd;
    m_segment = segment;
    m_size = 0;
    m_outstanding.emplace(segment, 0);
    if (previous >= 0) {
        ::close(previous);
        removeIfDone(previousSegment);
    }
    return true;
}

bool LedgerJournal::append(LedgerEvent &event, QString *error)
{
    const QByteArray line = event.encode();
    std::lock_guard lock(m_mutex);
    if (m_fd < 0) {
        *error = QStringLiteral("the ledger journal is not open");
        return false;
    }
    if (event.kind == LedgerEvent::Kind::HoldOpened && m_deferred.size() < kMaxDeferredBytes) {
        // An open hold moves no money: if the process dies before its call
        // settles, recovery releases it anyway. Its line rides along with the
        // next write, which comes no later than the charge or release that
        // closes it, so a closing line is never on disk without its opening.
        m_deferred += line;
        event.segment = m_segment;
        ++m_outstanding[m_segment];
        return true;
    }
    if (m_size >= m_segmentBytes) {
        // Waiting opens were counted in this segment: they go there first.
        if (!m_deferred.isEmpty()) {
            const bool written = writeLocked(m_deferred, error);
            m_deferred.clear();
            if (!written)
                return false;
        }
        QString rotateError;
        if (!openSegment(m_segment + 1, &rotateError))
            Logger::error("cannot start a new ledger journal segment", {{"error", rotateError}});
    }
    QByteArray joined;
    const QByteArray *bytes = &line;
    if (!m_deferred.isEmpty()) {
        joined = m_deferred + line;
        m_deferred.clear();
        bytes = &joined;
    }
    if (!writeLocked(*bytes, error))
        return false;
    event.segment = m_segment;
    ++m_outstanding[m_segment];
    return true;
}

bool LedgerJournal::writeLocked(const QByteArray &bytes, QString *error)
{
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(m_fd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *error = QStringLiteral("cannot write the ledger journal: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            if (written > 0)
                ::write(m_fd, "\n", 1); // a damaged line, skipped at replay, rather than one glued to the next
            return false;
        }
        written += n;
    }
    m_size += bytes.size();
    return true;
}

void LedgerJournal::committed(const std::vector<LedgerEvent> &events)
{
    std::lock_guard lock(m_mutex);
    std::vector<quint64> touched;
    for (const LedgerEvent &e : events) {
        auto it = m_outstanding.find(e.segment);
        if (it == m_outstanding.end() || it->second == 0)
            continue;
        if (--it->second == 0)
            touched.push_back(e.segment);
    }
    for (const quint64 segment : touched)
        removeIfDone(segment);
    // Everything written so far is in the database: start the segment over,
    // so that a restart has nothing to replay.
    auto current = m_outstanding.find(m_segment);
    if (m_fd >= 0 && m_size > 0 && current != m_outstanding.end() && current->second == 0 && ::ftruncate(m_fd, 0) == 0)
        m_size = 0;
}

void LedgerJournal::close()
{
    std::lock_guard lock(m_mutex);
    if (m_fd < 0)
        return;
    if (!m_deferred.isEmpty()) {
        QString error;
        if (!writeLocked(m_deferred, &error))
            Logger::error("cannot write the ledger journal at close", {{"error", error}});
        m_deferred.clear();
    }
    ::close(m_fd);
    m_fd = -1;
    auto current = m_outstanding.find(m_segment);
    if (current != m_outstanding.end() && current->second == 0)
        QFile::remove(segmentPath(m_segment));
}

void LedgerJournal::removeIfDone(quint64 segment)
{
    auto it = m_outstanding.find(segment);
    if (it == m_outstanding.end() || it->second != 0 || segment == m_segment)
        return;
    QFile::remove(segmentPath(segment));
    m_outstanding.erase(it);
}

quint64 LedgerJournal::currentSegment() const
{
    std::lock_guard lock(m_mutex);
    return m_segment;
}

size_t LedgerJournal::segmentFiles() const
{
    return existingSegments().size();
}

} // namespace gw
