#pragma once

#include "modelpricing.h"

#include <QString>

namespace gw {

// What an upstream charges the operator for the models matching
// `modelPattern` on one channel (table cost_rules): the cost side of a
// request, beside the model's pricing, which is what the caller pays.
struct CostRule
{
    QString id;
    QString channelId;
    QString modelPattern;  // a model id, "*" wildcards allowed anywhere
    ModelPricing pricing;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

} // namespace gw
