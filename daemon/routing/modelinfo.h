#pragma once

#include "fallbackpolicy.h"
#include "modelpricing.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace gw {

class ModelRouteTable;

struct ModelRoute
{
    QString channelId;
    QString upstreamModel;
    std::optional<int> priority; // overrides the channel's for this model
    std::optional<int> weight;
};

// A model as the catalog snapshot holds it.
struct ModelInfo
{
    QString id;
    QString type;
    ModelPricing pricing;
    FallbackPolicy fallback;
    std::optional<qint64> maxOutputTokens;
    bool enabled = true;
    QString displayName;
    QString description;
    QList<ModelRoute> routes;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    // The pricing as usage rows store it, made once per snapshot rather
    // than once per call.
    QByteArray pricingJson;
    // The routes resolved against the snapshot's channels (set by Catalog).
    std::shared_ptr<const ModelRouteTable> routeTable;
};

} // namespace gw
