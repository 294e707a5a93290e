#include "geminischema.h"

#include <QJsonArray>

namespace gw {

namespace {

QJsonValue fromOpenApiValue(const QJsonValue &value);

QJsonObject fromOpenApiObject(const QJsonObject &schema)
{
    QJsonObject out;
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        const QString key = it.key();
        if (key == u"type" && it.value().isString()) {
            out.insert(key, it.value().toString().toLower());
        } else if (key == u"nullable" || key == u"propertyOrdering") {
            // nullable is folded into "type" below; the ordering hint is
            // Gemini's own and strict JSON Schema validators refuse it.
        } else if (key == u"properties" || key == u"$defs" || key == u"definitions") {
            QJsonObject map;
            const QJsonObject in = it.value().toObject();
            for (auto p = in.begin(); p != in.end(); ++p)
                map.insert(p.key(), fromOpenApiValue(p.value()));
            out.insert(key, it.value().isObject() ? QJsonValue(map) : it.value());
        } else if (key == u"items" || key == u"anyOf" || key == u"oneOf" || key == u"allOf"
                   || key == u"prefixItems" || key == u"additionalProperties") {
            out.insert(key, fromOpenApiValue(it.value()));
        } else {
            out.insert(key, it.value());
        }
    }
    if (schema.value(QLatin1StringView("nullable")).toBool() && out.value(QLatin1StringView("type")).isString())
        out.insert(QStringLiteral("type"), QJsonArray{out.value(QLatin1StringView("type")), QStringLiteral("null")});
    return out;
}

QJsonValue fromOpenApiValue(const QJsonValue &value)
{
    if (value.isObject())
        return fromOpenApiObject(value.toObject());
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray())
            out.append(fromOpenApiValue(item));
        return out;
    }
    return value;
}

} // namespace

QJsonObject GeminiSchema::fromOpenApi(const QJsonObject &schema)
{
    return fromOpenApiObject(schema);
}

QJsonObject GeminiSchema::forJsonSchemaField(const QJsonObject &schema)
{
    QJsonObject out = schema;
    out.remove(QStringLiteral("$schema"));
    return out;
}

} // namespace gw
