#include "pricecalculator.h"

#include <limits>

namespace gw {

namespace {

__extension__ typedef __int128 Wide;

// Token prices are per million tokens and media prices per second (the
// quantity counts thousandths): 10^9 is a denominator common to both.
constexpr Wide kDenominator = 1'000'000'000;

qint64 saturate(Wide v)
{
    if (v > Wide(std::numeric_limits<qint64>::max()))
        return std::numeric_limits<qint64>::max();
    if (v < 0)
        return 0;
    return qint64(v);
}

} // namespace

qint64 PriceCalculator::cost(const ModelPricing &p, const UsageQuantities &u)
{
    const Wide tokens = Wide(qMax<qint64>(0, u.inputTokens)) * p.inputPerMtok
                        + Wide(qMax<qint64>(0, u.cacheReadTokens)) * p.cacheReadPerMtok
                        + Wide(qMax<qint64>(0, u.cacheWriteTokens)) * p.cacheWritePerMtok
                        + Wide(qMax<qint64>(0, u.outputTokens)) * p.outputPerMtok;
    const Wide numerator = tokens * 1000 + Wide(qMax<qint64>(0, u.mediaMilliseconds)) * p.perSecond * 1'000'000;
    const Wide variable = (numerator + kDenominator - 1) / kDenominator; // round up, once
    const Wide fixed = Wide(qMax<qint64>(0, u.requests)) * p.perRequest + Wide(qMax<qint64>(0, u.images)) * p.perImage;
    return saturate(variable + fixed);
}

qint64 PriceCalculator::estimate(const ModelPricing &pricing, qint64 promptTokens, qint64 maxOutputTokens, qint64 images,
                                 qint64 mediaMilliseconds)
{
    UsageQuantities u;
    u.inputTokens = promptTokens;
    u.outputTokens = maxOutputTokens;
    u.images = images;
    u.mediaMilliseconds = mediaMilliseconds;
    return cost(pricing, u);
}

} // namespace gw
