#include "modelspec.h"

#include "jsonreader.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace gw {

const QStringList &ModelSpec::knownTypes()
{
    static const QStringList types = {
        QStringLiteral("chat"), QStringLiteral("embeddings"), QStringLiteral("image"),
        QStringLiteral("video"), QStringLiteral("music"), QStringLiteral("tts"),
    };
    return types;
}

bool ModelSpec::isValidId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$"));
    return pattern.match(id).hasMatch();
}

QJsonObject ModelRouteSpec::toJson() const
{
    QJsonObject o{{QStringLiteral("channel"), channel}, {QStringLiteral("upstream_model"), upstreamModel}};
    if (priority)
        o.insert(QStringLiteral("priority"), double(*priority));
    if (weight)
        o.insert(QStringLiteral("weight"), double(*weight));
    return o;
}

ModelSpec ModelSpec::fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors)
{
    const auto need = mode == Mode::Create ? JsonReader::Required : JsonReader::Optional;
    JsonReader r(body, errors);
    ModelSpec s;

    if (mode == Mode::Create) {
        s.id = r.string(QStringLiteral("id"), JsonReader::Required, 200);
        if (s.id && !isValidId(*s.id)) {
            r.fail(QStringLiteral("id"), QStringLiteral("may hold letters, digits and . _ : / @ + - and must start with a letter or digit"));
            s.id.reset();
        }
    }
    s.type = r.choice(QStringLiteral("type"), knownTypes(), need);

    s.pricing = r.object(QStringLiteral("pricing"), JsonReader::Optional);
    if (s.pricing)
        ModelPricing::fromJson(*s.pricing, {}, errors, r.path(QStringLiteral("pricing")));

    if (auto routes = r.array(QStringLiteral("routes"), JsonReader::Optional)) {
        QList<ModelRouteSpec> parsed;
        for (qsizetype i = 0; i < routes->size(); ++i) {
            const QString prefix = QStringLiteral("routes[%1]").arg(i);
            if (!routes->at(i).isObject()) {
                errors.add(prefix, QStringLiteral("must be an object"));
                continue;
            }
            JsonReader rr(routes->at(i).toObject(), errors, prefix);
            ModelRouteSpec route;
            route.channel = rr.string(QStringLiteral("channel"), JsonReader::Required, 64).value_or(QString());
            route.upstreamModel = rr.string(QStringLiteral("upstream_model"), JsonReader::Optional, 200).value_or(QString());
            route.priority = rr.integer(QStringLiteral("priority"), -1000000, 1000000, JsonReader::Optional);
            route.weight = rr.integer(QStringLiteral("weight"), 0, 1000000, JsonReader::Optional);
            for (const ModelRouteSpec &other : std::as_const(parsed)) {
                if (!route.channel.isEmpty() && other.channel == route.channel && other.upstreamModel == route.upstreamModel)
                    rr.fail(QStringLiteral("channel"), QStringLiteral("routes to the same channel and upstream model twice"));
            }
            parsed.append(route);
        }
        if (parsed.size() > 256)
            r.fail(QStringLiteral("routes"), QStringLiteral("must have at most 256 items"));
        s.routes = parsed;
    }

    s.fallback = r.object(QStringLiteral("fallback"), JsonReader::Optional);
    if (s.fallback) {
        const FallbackPolicy p = FallbackPolicy::fromJson(*s.fallback, {}, errors, r.path(QStringLiteral("fallback")));
        if (s.id && p.models.contains(*s.id))
            errors.add(QStringLiteral("fallback.models"), QStringLiteral("must not name the model itself"));
    }

    if (mode == Mode::Patch && r.isNull(QStringLiteral("max_output_tokens")))
        s.clearMaxOutputTokens = true;
    s.maxOutputTokens = r.integer(QStringLiteral("max_output_tokens"), 1, 10000000, JsonReader::Optional);
    s.enabled = r.boolean(QStringLiteral("enabled"), JsonReader::Optional);
    s.displayName = r.string(QStringLiteral("display_name"), JsonReader::Optional, 200);
    s.description = r.string(QStringLiteral("description"), JsonReader::Optional, 4000);
    return s;
}

QJsonObject ModelSpec::toJson() const
{
    QJsonObject o;
    if (id)
        o.insert(QStringLiteral("id"), *id);
    if (type)
        o.insert(QStringLiteral("type"), *type);
    if (pricing)
        o.insert(QStringLiteral("pricing"), *pricing);
    if (routes) {
        QJsonArray a;
        for (const ModelRouteSpec &route : *routes)
            a.append(route.toJson());
        o.insert(QStringLiteral("routes"), a);
    }
    if (fallback)
        o.insert(QStringLiteral("fallback"), *fallback);
    if (maxOutputTokens)
        o.insert(QStringLiteral("max_output_tokens"), double(*maxOutputTokens));
    else if (clearMaxOutputTokens)
        o.insert(QStringLiteral("max_output_tokens"), QJsonValue::Null);
    if (enabled)
        o.insert(QStringLiteral("enabled"), *enabled);
    if (displayName)
        o.insert(QStringLiteral("display_name"), *displayName);
    if (description)
        o.insert(QStringLiteral("description"), *description);
    return o;
}

ModelPricing ModelSpec::applyPricing(const ModelPricing &current) const
{
    if (!pricing)
        return current;
    FieldErrors ignored; // fromJson() already reported these
    return ModelPricing::fromJson(*pricing, current, ignored, QStringLiteral("pricing"));
}

FallbackPolicy ModelSpec::applyFallback(const FallbackPolicy &current) const
{
    if (!fallback)
        return current;
    FieldErrors ignored;
    return FallbackPolicy::fromJson(*fallback, current, ignored, QStringLiteral("fallback"));
}

} // namespace gw
