#include "fallbackpolicy.h"

#include "jsonreader.h"

#include <QJsonArray>

namespace gw {

const QStringList &FallbackPolicy::knownTriggers()
{
    static const QStringList triggers = {
        QStringLiteral("connect"), QStringLiteral("timeout"), QStringLiteral("5xx"),
        QStringLiteral("429"), QStringLiteral("auth"),
    };
    return triggers;
}

QStringList FallbackPolicy::defaultTriggers()
{
    return knownTriggers();
}

FallbackPolicy FallbackPolicy::fromJson(const QJsonObject &object, const FallbackPolicy &base, FieldErrors &errors,
                                        const QString &prefix)
{
    JsonReader r(object, errors, prefix);
    FallbackPolicy p = base;
    if (auto models = r.stringList(QStringLiteral("models"), JsonReader::Optional, 16))
        p.models = *models;
    if (auto on = r.stringList(QStringLiteral("on"), JsonReader::Optional, 16)) {
        for (qsizetype i = 0; i < on->size(); ++i) {
            if (!knownTriggers().contains(on->at(i)))
                errors.add(QStringLiteral("%1[%2]").arg(r.path(QStringLiteral("on"))).arg(i),
                           QStringLiteral("must be one of: %1").arg(knownTriggers().join(QStringLiteral(", "))));
        }
        p.on = *on;
    }
    if (auto max = r.integer(QStringLiteral("max_attempts"), 1, 10, JsonReader::Optional))
        p.maxAttempts = int(*max);
    return p;
}

QJsonObject FallbackPolicy::toJson() const
{
    return QJsonObject{
        {QStringLiteral("models"), QJsonArray::fromStringList(models)},
        {QStringLiteral("on"), QJsonArray::fromStringList(on)},
        {QStringLiteral("max_attempts"), maxAttempts},
    };
}

} // namespace gw
