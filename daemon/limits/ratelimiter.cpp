#include "ratelimiter.h"

#include <QVarLengthArray>

#include <algorithm>

namespace gw {

namespace {

// The tighter of two limits where 0 means none.
qint64 tighter(qint64 a, qint64 b)
{
    if (a <= 0)
        return b;
    if (b <= 0)
        return a;
    return std::min(a, b);
}

qint64 clampLimit(qint64 v)
{
    return std::clamp<qint64>(v, 0, RateLimiter::kMaxLimit);
}

qint64 clampTokens(qint64 v)
{
    return std::clamp<qint64>(v, 0, RateLimiter::kMaxTokensPerCall);
}

} // namespace

struct RateLimiter::Slot
{
    LimitKey key;
    qint64 rpm = 0;
    qint64 tpm = 0;
    size_t shard = 0;
    Entry *entry = nullptr;
};

void RateLimiter::Bucket::refill(qint64 elapsedMs)
{
    if (limit <= 0 || elapsedMs <= 0)
        return;
    const qint64 cap = capacity();
    if (level >= cap)
        return;
    // Compared first so that elapsed * limit cannot overflow.
    const qint64 room = cap - level;
    if (elapsedMs > room / limit)
        level = cap;
    else
        level = std::min(cap, level + elapsedMs * limit);
}

void RateLimiter::Bucket::setLimit(qint64 newLimit)
{
    newLimit = clampLimit(newLimit);
    if (newLimit <= 0) {
        limit = 0;
        level = 0;
        return;
    }
    if (limit <= 0) {
        // Newly limited (or new): starts full, like a subject never seen.
        limit = newLimit;
        level = capacity();
        return;
    }
    if (newLimit != limit) {
        // What was used stays used: lowering a limit below the recent usage
        // refuses at once, raising it gives the new headroom at once.
        const qint64 used = capacity() - level;
        limit = newLimit;
        level = std::clamp(capacity() - used, -kMaxDebtMinutes * capacity(), capacity());
    }
}

void RateLimiter::Bucket::take(qint64 units)
{
    level = std::clamp(level - units, -kMaxDebtMinutes * capacity(), capacity());
}

qint64 RateLimiter::Bucket::remaining() const
{
    return level <= 0 ? 0 : level / kScale;
}

qint64 RateLimiter::Bucket::msUntil(qint64 units) const
{
    if (level >= units || limit <= 0)
        return 0;
    return (units - level + limit - 1) / limit;
}

void RateLimiter::Entry::advance(qint64 nowMs)
{
    const qint64 elapsed = nowMs - lastMs;
    if (elapsed <= 0)
        return;
    requests.refill(elapsed);
    tokens.refill(elapsed);
    lastMs = nowMs;
}

void RateLimiter::sweepLocked(Shard &shard, qint64 nowMs)
{
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
        it->second.advance(nowMs);
        if (it->second.isIdle())
            it = shard.entries.erase(it);
        else
            ++it;
    }
    shard.lastSweepMs = nowMs;
    shard.sweepAt = std::max(kMinSweepSize, 2 * shard.entries.size());
}

template <typename Work>
void RateLimiter::withEntries(const QList<LimitSubject> &subjects, bool tokensOnly, qint64 nowMs, Work work)
{
    QVarLengthArray<Slot, 8> slots;
    for (const LimitSubject &subject : subjects) {
        if (tokensOnly ? subject.tpm <= 0 : !subject.limitsAnything())
            continue;
        const QString target = subject.scope == LimitScope::Global ? QString() : subject.target;
        // The same subject twice counts once, with the tighter limits.
        auto same = std::find_if(slots.begin(), slots.end(), [&](const Slot &s) {
            return s.key.scope == subject.scope && s.key.target == target;
        });
        if (same != slots.end()) {
            same->rpm = tighter(same->rpm, subject.rpm);
            same->tpm = tighter(same->tpm, subject.tpm);
            continue;
        }
        Slot slot;
        slot.key = LimitKey{subject.scope, target};
        slot.rpm = subject.rpm;
        slot.tpm = subject.tpm;
        slot.shard = shardOf(LimitKeyHash()(slot.key));
        slots.append(std::move(slot));
    }
    if (slots.isEmpty()) {
        work(slots.data(), qsizetype(0));
        return;
    }

    QVarLengthArray<size_t, 8> shards;
    for (const Slot &s : slots)
        shards.append(s.shard);
    std::sort(shards.begin(), shards.end());
    shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
    // Always in ascending order, so that two calls sharing shards cannot deadlock.
    for (size_t index : shards)
        m_shards[index].mutex.lock();
    struct Unlock
    {
        RateLimiter *self;
        const QVarLengthArray<size_t, 8> &shards;
        ~Unlock()
        {
            for (auto it = shards.rbegin(); it != shards.rend(); ++it)
                self->m_shards[*it].mutex.unlock();
        }
    } unlock{this, shards};

    // Sweep before taking any entry pointer, since a sweep may erase the very
    // entry a slot is about to use (it is full, after all).
    for (size_t index : shards) {
        Shard &shard = m_shards[index];
        if (shard.entries.size() >= shard.sweepAt || nowMs - shard.lastSweepMs >= kSweepIntervalMs)
            sweepLocked(shard, nowMs);
    }
    for (Slot &s : slots) {
        Shard &shard = m_shards[s.shard];
        auto [it, inserted] = shard.entries.try_emplace(s.key);
        Entry &e = it->second;
        if (inserted)
            e.lastMs = nowMs;
        else
            e.advance(nowMs);
        e.requests.setLimit(s.rpm);
        e.tokens.setLimit(s.tpm);
        s.entry = &e;
    }
    work(slots.data(), slots.size());
}

RateDecision RateLimiter::admit(const QList<LimitSubject> &subjects, qint64 estimatedTokens, qint64 nowMs)
{
    RateDecision d;
    const qint64 estimated = clampTokens(estimatedTokens);
    withEntries(subjects, false, nowMs, [&](Slot *slots, qsizetype count) {
        auto refuse = [&](const Slot &s, RateDecision::Measure measure, qint64 waitMs) {
            if (waitMs <= 0 || (d.refusedMeasure != RateDecision::Measure::None && waitMs <= d.retryAfterMs))
                return;
            d.refusedScope = s.key.scope;
            d.refusedTarget = s.key.target;
            d.refusedMeasure = measure;
            d.retryAfterMs = waitMs;
        };
        for (qsizetype i = 0; i < count; ++i) {
            const Slot &s = slots[i];
            const Entry &e = *s.entry;
            if (e.requests.limit > 0)
                refuse(s, RateDecision::Measure::Requests, e.requests.msUntil(kScale));
            if (e.tokens.limit > 0)
                refuse(s, RateDecision::Measure::Tokens, e.tokens.msUntil(std::min(estimated, e.tokens.limit) * kScale));
        }
        d.allowed = d.refusedMeasure == RateDecision::Measure::None;
        if (d.allowed) {
            for (qsizetype i = 0; i < count; ++i) {
                Entry &e = *slots[i].entry;
                if (e.requests.limit > 0)
                    e.requests.take(kScale);
                if (e.tokens.limit > 0)
                    e.tokens.take(estimated * kScale);
            }
        }
        auto report = [](const Bucket &b, qint64 &limit, qint64 &remaining, qint64 &resetMs) {
            const qint64 left = b.remaining();
            if (limit > 0 && (left > remaining || (left == remaining && b.limit >= limit)))
                return;
            limit = b.limit;
            remaining = left;
            resetMs = b.msUntilFull();
        };
        for (qsizetype i = 0; i < count; ++i) {
            const Entry &e = *slots[i].entry;
            if (e.requests.limit > 0)
                report(e.requests, d.requestLimit, d.requestRemaining, d.requestResetMs);
            if (e.tokens.limit > 0)
                report(e.tokens, d.tokenLimit, d.tokenRemaining, d.tokenResetMs);
        }
    });
    return d;
}

void RateLimiter::settleTokens(const QList<LimitSubject> &subjects, qint64 estimatedTokens, qint64 actualTokens,
                               qint64 nowMs)
{
    const qint64 delta = clampTokens(actualTokens) - clampTokens(estimatedTokens);
    if (delta == 0)
        return;
    withEntries(subjects, true, nowMs, [delta](Slot *slots, qsizetype count) {
        for (qsizetype i = 0; i < count; ++i) {
            Bucket &b = slots[i].entry->tokens;
            if (b.limit > 0)
                b.take(delta * kScale);
        }
    });
}

size_t RateLimiter::sweep(qint64 nowMs)
{
    size_t left = 0;
    for (Shard &shard : m_shards) {
        std::lock_guard lock(shard.mutex);
        sweepLocked(shard, nowMs);
        left += shard.entries.size();
    }
    return left;
}

size_t RateLimiter::size() const
{
    size_t n = 0;
    for (const Shard &shard : m_shards) {
        std::lock_guard lock(shard.mutex);
        n += shard.entries.size();
    }
    return n;
}

} // namespace gw
