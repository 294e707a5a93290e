#include "apikeyspec.h"

#include "jsonreader.h"

#include <QHostAddress>
#include <QJsonArray>

namespace gw {

const QStringList &ApiKeySpec::knownFamilies()
{
    static const QStringList families = {
        QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini"), QStringLiteral("tasks"),
    };
    return families;
}

const QStringList &ApiKeySpec::knownScopes()
{
    static const QStringList scopes = {QStringLiteral("manage")};
    return scopes;
}

namespace {

void checkMembers(const std::optional<QStringList> &list, const QStringList &allowed, const QString &field,
                  FieldErrors &errors)
{
    if (!list)
        return;
    for (qsizetype i = 0; i < list->size(); ++i) {
        if (!allowed.contains(list->at(i)))
            errors.add(QStringLiteral("%1[%2]").arg(field).arg(i),
                       QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))));
    }
}

} // namespace

ApiKeySpec ApiKeySpec::fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors)
{
    JsonReader r(body, errors);
    ApiKeySpec s;
    s.name = r.string(QStringLiteral("name"), mode == Mode::Create ? JsonReader::Required : JsonReader::Optional, 200);
    s.status = r.choice(QStringLiteral("status"), {QStringLiteral("active"), QStringLiteral("disabled")}, JsonReader::Optional);
    s.models = r.stringList(QStringLiteral("models"), JsonReader::Optional, 1000);
    s.families = r.stringList(QStringLiteral("families"), JsonReader::Optional, 8);
    checkMembers(s.families, knownFamilies(), QStringLiteral("families"), errors);
    s.scopes = r.stringList(QStringLiteral("scopes"), JsonReader::Optional, 8);
    checkMembers(s.scopes, knownScopes(), QStringLiteral("scopes"), errors);
    s.ipAllow = r.stringList(QStringLiteral("ip_allow"), JsonReader::Optional, 256);
    if (s.ipAllow) {
        for (qsizetype i = 0; i < s.ipAllow->size(); ++i) {
            const auto subnet = QHostAddress::parseSubnet(s.ipAllow->at(i));
            if (subnet.first.isNull())
                errors.add(QStringLiteral("ip_allow[%1]").arg(i), QStringLiteral("must be an address or CIDR range"));
        }
    }
    s.rpm = r.integer(QStringLiteral("rpm"), 0, 100000000, JsonReader::Optional);
    s.tpm = r.integer(QStringLiteral("tpm"), 0, 100000000000LL, JsonReader::Optional);
    s.maxConcurrency = r.integer(QStringLiteral("max_concurrency"), 0, 1000000, JsonReader::Optional);
    s.project = r.string(QStringLiteral("project"), JsonReader::Optional, 64);
    if (mode == Mode::Patch && r.isNull(QStringLiteral("expires_at")))
        s.clearExpiry = true;
    s.expiresAt = r.timestamp(QStringLiteral("expires_at"), JsonReader::Optional);
    s.storePayloads = r.boolean(QStringLiteral("store_payloads"), JsonReader::Optional);
    return s;
}

QJsonObject ApiKeySpec::toJson() const
{
    QJsonObject o;
    auto put = [&o](const char *key, const std::optional<QStringList> &list) {
        if (list)
            o.insert(QLatin1String(key), QJsonArray::fromStringList(*list));
    };
    if (name)
        o.insert(QStringLiteral("name"), *name);
    if (status)
        o.insert(QStringLiteral("status"), *status);
    put("models", models);
    put("families", families);
    put("scopes", scopes);
    put("ip_allow", ipAllow);
    if (rpm)
        o.insert(QStringLiteral("rpm"), double(*rpm));
    if (tpm)
        o.insert(QStringLiteral("tpm"), double(*tpm));
    if (maxConcurrency)
        o.insert(QStringLiteral("max_concurrency"), double(*maxConcurrency));
    if (project)
        o.insert(QStringLiteral("project"), *project);
    if (expiresAt)
        o.insert(QStringLiteral("expires_at"), expiresAt->toUTC().toString(Qt::ISODate));
    else if (clearExpiry)
        o.insert(QStringLiteral("expires_at"), QJsonValue::Null);
    if (storePayloads)
        o.insert(QStringLiteral("store_payloads"), *storePayloads);
    return o;
}

} // namespace gw
