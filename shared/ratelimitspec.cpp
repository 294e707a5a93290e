#include "ratelimitspec.h"

#include "jsonreader.h"

namespace gw {

const QStringList &RateLimitSpec::knownScopes()
{
    static const QStringList scopes = {
        QStringLiteral("key"), QStringLiteral("user"), QStringLiteral("project"),
        QStringLiteral("channel"), QStringLiteral("provider"), QStringLiteral("global"),
    };
    return scopes;
}

RateLimitSpec RateLimitSpec::fromJson(const QJsonObject &body, FieldErrors &errors)
{
    JsonReader r(body, errors);
    RateLimitSpec s;
    s.scope = r.choice(QStringLiteral("scope"), knownScopes(), JsonReader::Required);
    const qsizetype before = errors.entries().size();
    s.target = r.string(QStringLiteral("target"), JsonReader::Optional, 200);
    const bool targetUnreadable = errors.entries().size() != before;
    if (s.target) {
        *s.target = s.target->trimmed();
        if (s.target->isEmpty())
            s.target.reset();
    }
    if (s.scope && !targetUnreadable) {
        if (*s.scope == QLatin1String("global")) {
            if (s.target)
                r.fail(QStringLiteral("target"), QStringLiteral("must not be set for the global scope"));
        } else if (!s.target) {
            r.fail(QStringLiteral("target"), QStringLiteral("is required for the %1 scope").arg(*s.scope));
        }
    }
    s.rpm = r.integer(QStringLiteral("rpm"), 0, kMaxRpm, JsonReader::Optional);
    s.tpm = r.integer(QStringLiteral("tpm"), 0, kMaxTpm, JsonReader::Optional);
    const bool rpmBad = r.has(QStringLiteral("rpm")) && !r.isNull(QStringLiteral("rpm")) && !s.rpm;
    const bool tpmBad = r.has(QStringLiteral("tpm")) && !r.isNull(QStringLiteral("tpm")) && !s.tpm;
    // Only when both read cleanly: a wrong rpm already has its own message.
    if (!rpmBad && !tpmBad && s.rpm.value_or(0) <= 0 && s.tpm.value_or(0) <= 0)
        r.fail(QStringLiteral("rpm"), QStringLiteral("rpm or tpm must be greater than zero"));
    return s;
}

QJsonObject RateLimitSpec::toJson() const
{
    QJsonObject o;
    if (scope)
        o.insert(QStringLiteral("scope"), *scope);
    if (target)
        o.insert(QStringLiteral("target"), *target);
    if (rpm)
        o.insert(QStringLiteral("rpm"), double(*rpm));
    if (tpm)
        o.insert(QStringLiteral("tpm"), double(*tpm));
    return o;
}

} // namespace gw
