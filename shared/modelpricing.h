#pragma once

#include "fielderrors.h"

#include <QJsonObject>

namespace gw {

// A model's price list, every figure in micro-credits: per million input,
// output, cache-read and cache-write tokens, per request, per image and per
// second of audio or video. Reasoning and thinking tokens bill as output.
struct ModelPricing
{
    qint64 inputPerMtok = 0;
    qint64 outputPerMtok = 0;
    qint64 cacheReadPerMtok = 0;
    qint64 cacheWritePerMtok = 0;
    qint64 perRequest = 0;
    qint64 perImage = 0;
    qint64 perSecond = 0;

    bool operator==(const ModelPricing &) const = default;

    // Fields not in the object keep the values of `base` (a PATCH merges).
    static ModelPricing fromJson(const QJsonObject &object, const ModelPricing &base, FieldErrors &errors,
                                 const QString &prefix);
    QJsonObject toJson() const;
};

} // namespace gw
