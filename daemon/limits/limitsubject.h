#pragma once

#include "limitscope.h"

#include <QHashFunctions>
#include <QString>

namespace gw {

// One thing a request counts against (its key, its user, the channel it goes
// to, everyone) with the limits that apply to it right now. A limit of 0
// means unlimited. The limits travel with the subject, rather than being
// stored in the limiter, so that an admin change applies to the very next
// request without the limiter having to be told.
struct LimitSubject
{
    LimitScope scope = LimitScope::Global;
    QString target;  // empty for the global scope
    qint64 rpm = 0;
    qint64 tpm = 0;

    bool limitsAnything() const { return rpm > 0 || tpm > 0; }
};

// The identity of a subject, as a hash key.
struct LimitKey
{
    LimitScope scope = LimitScope::Global;
    QString target;

    bool operator==(const LimitKey &other) const { return scope == other.scope && target == other.target; }
};

struct LimitKeyHash
{
    size_t operator()(const LimitKey &k) const noexcept
    {
        return qHash(k.target, size_t(k.scope) * size_t(0x9E3779B97F4A7C15ULL));
    }
};

} // namespace gw
