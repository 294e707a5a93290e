#pragma once

#include "fielderrors.h"
#include "modelpricing.h"

#include <QJsonObject>

#include <optional>

namespace gw {

// The body of POST /admin/v1/cost-rules (channel, model_pattern and the two
// token prices required) and of PATCH /admin/v1/cost-rules/{id} (any subset).
// A cost rule is what an upstream charges the operator for a model on one
// channel, as opposed to the model's pricing, which is what the caller pays.
// Prices are decimal credits on the wire, micro-credits here, with the same
// fields and meaning as a model's pricing.
struct CostRuleSpec
{
    enum class Mode { Create, Patch };

    std::optional<QString> channel;       // id (or name; the daemon resolves it)
    std::optional<QString> modelPattern;  // a model id, with * matching any run of characters
    std::optional<qint64> inputPerMtok;
    std::optional<qint64> outputPerMtok;
    std::optional<qint64> cacheReadPerMtok;
    std::optional<qint64> cacheWritePerMtok;
    std::optional<qint64> perRequest;
    std::optional<qint64> perImage;
    std::optional<qint64> perSecond;

    static CostRuleSpec fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors);
    QJsonObject toJson() const;

    // The prices given here over `base` (a PATCH keeps what it does not name).
    ModelPricing applyPricing(const ModelPricing &base) const;
};

} // namespace gw
