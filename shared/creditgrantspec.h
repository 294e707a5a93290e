#pragma once

#include "fielderrors.h"

#include <QJsonObject>

#include <optional>

namespace gw {

// The body of POST /admin/v1/users/{id}/credits: a positive amount is a grant,
// a negative one an adjustment. The idempotency key makes a retried request
// post once.
struct CreditGrantSpec
{
    qint64 amountMicro = 0;
    QString reason;
    std::optional<QString> idempotencyKey;

    static CreditGrantSpec fromJson(const QJsonObject &body, FieldErrors &errors);
    QJsonObject toJson() const;
};

} // namespace gw
