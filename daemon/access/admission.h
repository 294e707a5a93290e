#pragma once

#include "billing/planrecord.h"
#include "http/apierror.h"
#include "limits/concurrencylimiter.h"
#include "limits/limitsubject.h"
#include "projectrecord.h"
#include "userstate.h"

#include <QList>
#include <QPair>

#include <memory>
#include <optional>

namespace gw {

// The outcome of letting a call in: refused with an error, or admitted with
// the concurrency slot it holds, the rate-limit subjects it consumed from
// (their token counts are settled after the call) and the headers that
// report the limits to the caller.
struct Admission
{
    std::optional<ApiError> error;
    std::optional<ConcurrencyLimiter::Ticket> ticket;
    QList<LimitSubject> subjects;
    QList<QPair<QByteArray, QByteArray>> headers;
    std::shared_ptr<const UserState> user;
    std::shared_ptr<const PlanRecord> plan;
    std::shared_ptr<const ProjectRecord> project;
    qint64 estimatedTokens = 0;
};

} // namespace gw
