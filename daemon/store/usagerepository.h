#pragma once

#include "common/serviceerror.h"
#include "page.h"
#include "relay/usagerecord.h"

#include <optional>
#include <vector>

namespace gw {

class SqlSession;

// Usage rows, their attempts and their capped bodies.
class UsageRepository
{
public:
    struct Filter
    {
        QString userId;
        QString keyId;
        QString model;
        std::optional<int> status;
        std::optional<qint64> fromMs; // inclusive
        std::optional<qint64> toMs;   // exclusive
    };

    // A record the database refused on its own merits (a duplicate request
    // id, say): its neighbours were written.
    struct Rejection
    {
        QByteArray requestId;
        StoreError error;
    };

    static void insert(SqlSession &s, const UsageRecord &r);
    // Writes many records with multi-row INSERTs (a few statements per chunk
    // of records instead of three per record), with the values insert()
    // writes. A chunk that fails is redone one record at a time, each in its
    // own savepoint, so that a bad record costs only itself: refused records
    // leave `records` and are appended to `rejected`. Throws StoreError when
    // the fault is the database's (unavailable, or no record of a chunk could
    // be written, for a reason other than a duplicate): what this call wrote
    // must then be rolled back and the remaining `records` retried later.
    // Runs inside the caller's transaction.
    static void insertMany(SqlSession &s, std::vector<UsageRecord> &records, std::vector<Rejection> *rejected);
    // Newest first; the cursor is the last request id of the previous page.
    static Page<UsageRecord> list(SqlSession &s, const Filter &filter, const QString &cursor, int limit);
    // With its attempts and, if stored, its bodies.
    static std::optional<UsageRecord> find(SqlSession &s, const QString &requestId);

    // The request-id bound for a time: ids are "req_" + 12 hex digits of milliseconds + random.
    static QString requestIdBound(qint64 ms);
};

} // namespace gw
