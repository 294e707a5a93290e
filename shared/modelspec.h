#pragma once

#include "fallbackpolicy.h"
#include "fielderrors.h"
#include "modelpricing.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace gw {

// One way to serve a model: a channel and the model's name upstream. A route
// may override the channel's priority and weight for this model.
struct ModelRouteSpec
{
    QString channel;
    QString upstreamModel;
    std::optional<qint64> priority;
    std::optional<qint64> weight;

    bool operator==(const ModelRouteSpec &) const = default;
    QJsonObject toJson() const;
};

// The body of POST /admin/v1/models and PATCH /admin/v1/models/{id}.
struct ModelSpec
{
    enum class Mode { Create, Patch };

    std::optional<QString> id;
    std::optional<QString> type;
    std::optional<QJsonObject> pricing;   // validated; merged by applyPricing()
    std::optional<QList<ModelRouteSpec>> routes;
    std::optional<QJsonObject> fallback;  // validated; merged by applyFallback()
    std::optional<qint64> maxOutputTokens;
    bool clearMaxOutputTokens = false;
    std::optional<bool> enabled;
    std::optional<QString> displayName;
    std::optional<QString> description;

    static ModelSpec fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors);
    QJsonObject toJson() const;

    // The pricing and fallback a model has after this spec is applied to `current`.
    ModelPricing applyPricing(const ModelPricing &current) const;
    FallbackPolicy applyFallback(const FallbackPolicy &current) const;

    static const QStringList &knownTypes();
    static bool isValidId(const QString &id);
};

} // namespace gw
