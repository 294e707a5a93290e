#include "creditgrantspec.h"

#include "credits.h"
#include "jsonreader.h"

namespace gw {

CreditGrantSpec CreditGrantSpec::fromJson(const QJsonObject &body, FieldErrors &errors)
{
    JsonReader r(body, errors);
    CreditGrantSpec s;
    if (auto amount = r.credits(QStringLiteral("amount"), JsonReader::Required, true)) {
        if (*amount == 0)
            r.fail(QStringLiteral("amount"), QStringLiteral("must not be zero"));
        s.amountMicro = *amount;
    }
    s.reason = r.string(QStringLiteral("reason"), JsonReader::Optional, 500).value_or(QString());
    s.idempotencyKey = r.string(QStringLiteral("idempotency_key"), JsonReader::Optional, 200);
    if (s.idempotencyKey && s.idempotencyKey->isEmpty())
        r.fail(QStringLiteral("idempotency_key"), QStringLiteral("must not be empty"));
    return s;
}

QJsonObject CreditGrantSpec::toJson() const
{
    QJsonObject o{{QStringLiteral("amount"), Credits::toJson(amountMicro)}};
    if (!reason.isEmpty())
        o.insert(QStringLiteral("reason"), reason);
    if (idempotencyKey)
        o.insert(QStringLiteral("idempotency_key"), *idempotencyKey);
    return o;
}

} // namespace gw
