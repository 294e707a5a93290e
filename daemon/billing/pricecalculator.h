#pragma once

#include "modelpricing.h"
#include "usagequantities.h"

namespace gw {

// Turns a price list and what a call used into micro-credits. The sum is
// exact (128-bit integers over a common denominator) and is rounded up to a
// whole micro-credit once, at the end: a call never costs less than its
// exact price, and never more than one micro-credit above it.
class PriceCalculator
{
public:
    static qint64 cost(const ModelPricing &pricing, const UsageQuantities &used);

    // The most a call can cost before it is made: the prompt estimate at the
    // input price, the output cap at the output price, plus the fixed parts.
    static qint64 estimate(const ModelPricing &pricing, qint64 promptTokens, qint64 maxOutputTokens,
                           qint64 images = 0, qint64 mediaMilliseconds = 0);
};

} // namespace gw
