#pragma once

#include "page.h"
#include "relay/usagerecord.h"

#include <optional>

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

    static void insert(SqlSession &s, const UsageRecord &r);
    // Newest first; the cursor is the last request id of the previous page.
    static Page<UsageRecord> list(SqlSession &s, const Filter &filter, const QString &cursor, int limit);
    // With its attempts and, if stored, its bodies.
    static std::optional<UsageRecord> find(SqlSession &s, const QString &requestId);

    // The request-id bound for a time: ids are "req_" + 12 hex digits of milliseconds + random.
    static QString requestIdBound(qint64 ms);
};

} // namespace gw
