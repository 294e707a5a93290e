#pragma once

#include "limitsubject.h"
#include "ratedecision.h"

#include <QList>

#include <array>
#include <mutex>
#include <unordered_map>

namespace gw {

// Requests-per-minute and tokens-per-minute limits, in memory, as token
// buckets: each (scope, target) has a request bucket and a token bucket whose
// capacity is the per-minute limit, which start full and refill continuously
// at limit/60000 per millisecond. A bucket allows a burst of up to a whole
// minute's worth, then the steady rate; unlike a fixed window, there is no
// boundary at which twice the limit can pass, and unlike a sliding log, an
// entry is a few integers whatever the limit.
//
// admit() is all-or-nothing across its subjects: it takes one request and the
// estimated tokens from every subject or, when any one refuses, from none.
// The buckets of all subjects are locked together for that (shards locked in
// index order, so no two calls deadlock); there is no global lock.
//
// A request estimated at more tokens than a whole bucket holds is admitted
// when that bucket is full and drives it negative, rather than never. After
// the call, settleTokens() corrects by (actual - estimated): a refund, or a
// further charge that may leave the bucket in debt, which then refuses until
// it is repaid. Debt is capped at an hour's worth so that one runaway answer
// cannot lock a subject out for longer.
//
// Memory: an entry whose buckets have refilled completely is the same as no
// entry (buckets start full), so such entries are dropped whenever a shard
// grows or at least once a minute when it is used, and by sweep().
//
// Time is the caller's (Unix or monotonic milliseconds, but always the same
// clock); a clock that goes back is treated as standing still.
class RateLimiter
{
public:
    RateLimiter() = default;
    RateLimiter(const RateLimiter &) = delete;
    RateLimiter &operator=(const RateLimiter &) = delete;

    RateDecision admit(const QList<LimitSubject> &subjects, qint64 estimatedTokens, qint64 nowMs);
    void settleTokens(const QList<LimitSubject> &subjects, qint64 estimatedTokens, qint64 actualTokens, qint64 nowMs);

    // Drops the entries that are full at nowMs; returns how many remain.
    size_t sweep(qint64 nowMs);
    size_t size() const;

    // The bucket arithmetic is in 1/60000ths of a request or token, so that
    // refilling limit/60000 per millisecond is exact integer addition.
    static constexpr qint64 kScale = 60000;
    static constexpr qint64 kMaxLimit = 100'000'000'000LL;
    static constexpr qint64 kMaxTokensPerCall = 1'000'000'000'000LL;
    static constexpr qint64 kMaxDebtMinutes = 60;

private:
    struct Bucket
    {
        qint64 limit = 0;  // per minute; 0: this measure is not limited
        qint64 level = 0;  // in kScale units; capacity is limit * kScale

        qint64 capacity() const { return limit * kScale; }
        bool isFull() const { return limit <= 0 || level >= capacity(); }
        void refill(qint64 elapsedMs);
        void setLimit(qint64 newLimit);
        void take(qint64 units);
        qint64 remaining() const;
        qint64 msUntil(qint64 units) const;
        qint64 msUntilFull() const { return msUntil(capacity()); }
    };

    struct Entry
    {
        Bucket requests;
        Bucket tokens;
        qint64 lastMs = 0;

        void advance(qint64 nowMs);
        bool isIdle() const { return requests.isFull() && tokens.isFull(); }
    };

    struct alignas(64) Shard
    {
        mutable std::mutex mutex;
        std::unordered_map<LimitKey, Entry, LimitKeyHash> entries;
        qint64 lastSweepMs = 0;
        size_t sweepAt = kMinSweepSize;
    };

    static constexpr size_t kShards = 64;
    static constexpr size_t kMinSweepSize = 64;
    static constexpr qint64 kSweepIntervalMs = 60000;

    struct Slot;

    static size_t shardOf(size_t hash) { return (hash ^ (hash >> 17)) % kShards; }
    static void sweepLocked(Shard &shard, qint64 nowMs);
    // Runs `work` over the entries of `subjects` (only those limiting tokens
    // when tokensOnly), with every shard they live in locked.
    template <typename Work>
    void withEntries(const QList<LimitSubject> &subjects, bool tokensOnly, qint64 nowMs, Work work);

    std::array<Shard, kShards> m_shards;
};

} // namespace gw
