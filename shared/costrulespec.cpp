#include "costrulespec.h"

#include "credits.h"
#include "jsonreader.h"

namespace gw {

namespace {

struct PriceField
{
    const char *name;
    std::optional<qint64> CostRuleSpec::*spec;
    qint64 ModelPricing::*pricing;
    bool requiredOnCreate;
};

constexpr PriceField kPrices[] = {
    {"input_per_mtok", &CostRuleSpec::inputPerMtok, &ModelPricing::inputPerMtok, true},
    {"output_per_mtok", &CostRuleSpec::outputPerMtok, &ModelPricing::outputPerMtok, true},
    {"cache_read_per_mtok", &CostRuleSpec::cacheReadPerMtok, &ModelPricing::cacheReadPerMtok, false},
    {"cache_write_per_mtok", &CostRuleSpec::cacheWritePerMtok, &ModelPricing::cacheWritePerMtok, false},
    {"per_request", &CostRuleSpec::perRequest, &ModelPricing::perRequest, false},
    {"per_image", &CostRuleSpec::perImage, &ModelPricing::perImage, false},
    {"per_second", &CostRuleSpec::perSecond, &ModelPricing::perSecond, false},
};

} // namespace

CostRuleSpec CostRuleSpec::fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors)
{
    const bool create = mode == Mode::Create;
    JsonReader r(body, errors);
    CostRuleSpec s;
    s.channel = r.string(QStringLiteral("channel"), create ? JsonReader::Required : JsonReader::Optional, 100);
    if (s.channel && s.channel->trimmed().isEmpty()) {
        r.fail(QStringLiteral("channel"), QStringLiteral("must not be empty"));
        s.channel.reset();
    }
    s.modelPattern = r.string(QStringLiteral("model_pattern"), create ? JsonReader::Required : JsonReader::Optional, 200);
    if (s.modelPattern) {
        bool blank = false;
        for (QChar c : std::as_const(*s.modelPattern))
            blank = blank || c.isSpace();
        if (s.modelPattern->isEmpty() || blank) {
            r.fail(QStringLiteral("model_pattern"), QStringLiteral("must be a model id or a pattern such as gpt-* (no spaces)"));
            s.modelPattern.reset();
        }
    }
    for (const PriceField &f : kPrices) {
        const auto need = create && f.requiredOnCreate ? JsonReader::Required : JsonReader::Optional;
        s.*(f.spec) = r.credits(QLatin1String(f.name), need);
    }
    return s;
}

QJsonObject CostRuleSpec::toJson() const
{
    QJsonObject o;
    if (channel)
        o.insert(QStringLiteral("channel"), *channel);
    if (modelPattern)
        o.insert(QStringLiteral("model_pattern"), *modelPattern);
    for (const PriceField &f : kPrices) {
        if (const auto &v = this->*(f.spec))
            o.insert(QLatin1String(f.name), Credits::toJson(*v));
    }
    return o;
}

ModelPricing CostRuleSpec::applyPricing(const ModelPricing &base) const
{
    ModelPricing p = base;
    for (const PriceField &f : kPrices) {
        if (const auto &v = this->*(f.spec))
            p.*(f.pricing) = *v;
    }
    return p;
}

} // namespace gw
