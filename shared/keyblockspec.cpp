#include "keyblockspec.h"

#include "jsonreader.h"

#include <QRegularExpression>

namespace gw {

KeyBlockSpec KeyBlockSpec::fromJson(const QJsonObject &body, FieldErrors &errors)
{
    JsonReader r(body, errors);
    KeyBlockSpec s;
    s.keyId = r.string(QStringLiteral("key_id"), JsonReader::Optional, 64);
    if (s.keyId && s.keyId->trimmed().isEmpty()) {
        r.fail(QStringLiteral("key_id"), QStringLiteral("must not be empty"));
        s.keyId.reset();
    }
    s.keyPrefix = r.string(QStringLiteral("key_prefix"), JsonReader::Optional, 64);
    if (s.keyPrefix) {
        static const QRegularExpression shape(QStringLiteral("^sk-[A-Za-z0-9_-]*$"));
        if (!s.keyPrefix->startsWith(QLatin1String("sk-")) || !shape.match(*s.keyPrefix).hasMatch())
            r.fail(QStringLiteral("key_prefix"), QStringLiteral("must start with sk- followed by key characters"));
        else if (s.keyPrefix->size() < kMinPrefixLength)
            r.fail(QStringLiteral("key_prefix"), QStringLiteral("must be at least %1 characters").arg(kMinPrefixLength));
    }
    const bool idGiven = r.has(QStringLiteral("key_id")) && !r.isNull(QStringLiteral("key_id"));
    const bool prefixGiven = r.has(QStringLiteral("key_prefix")) && !r.isNull(QStringLiteral("key_prefix"));
    if (idGiven && prefixGiven)
        r.fail(QStringLiteral("key_prefix"), QStringLiteral("give either key_id or key_prefix, not both"));
    else if (!idGiven && !prefixGiven)
        r.fail(QStringLiteral("key_id"), QStringLiteral("key_id or key_prefix is required"));

    if (auto provider = r.string(QStringLiteral("provider"), JsonReader::Optional, 64)) {
        static const QRegularExpression ident(QStringLiteral("^[a-z][a-z0-9_-]*$"));
        if (*provider != QLatin1String("*") && !ident.match(*provider).hasMatch())
            r.fail(QStringLiteral("provider"), QStringLiteral("must be * or a provider name such as openai"));
        else
            s.provider = *provider;
    }
    if (auto reason = r.string(QStringLiteral("reason"), JsonReader::Optional, 500))
        s.reason = *reason;
    return s;
}

QJsonObject KeyBlockSpec::toJson() const
{
    QJsonObject o;
    if (keyId)
        o.insert(QStringLiteral("key_id"), *keyId);
    if (keyPrefix)
        o.insert(QStringLiteral("key_prefix"), *keyPrefix);
    o.insert(QStringLiteral("provider"), provider);
    o.insert(QStringLiteral("reason"), reason);
    return o;
}

} // namespace gw
