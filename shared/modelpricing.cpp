#include "modelpricing.h"

#include "credits.h"
#include "jsonreader.h"

namespace gw {

namespace {

struct Field
{
    const char *name;
    qint64 ModelPricing::*member;
};

constexpr Field kFields[] = {
    {"input_per_mtok", &ModelPricing::inputPerMtok},
    {"output_per_mtok", &ModelPricing::outputPerMtok},
    {"cache_read_per_mtok", &ModelPricing::cacheReadPerMtok},
    {"cache_write_per_mtok", &ModelPricing::cacheWritePerMtok},
    {"per_request", &ModelPricing::perRequest},
    {"per_image", &ModelPricing::perImage},
    {"per_second", &ModelPricing::perSecond},
};

} // namespace

ModelPricing ModelPricing::fromJson(const QJsonObject &object, const ModelPricing &base, FieldErrors &errors,
                                    const QString &prefix)
{
    JsonReader r(object, errors, prefix);
    ModelPricing p = base;
    for (const Field &f : kFields) {
        if (auto v = r.credits(QLatin1String(f.name), JsonReader::Optional))
            p.*(f.member) = *v;
    }
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        bool known = false;
        for (const Field &f : kFields)
            known = known || it.key() == QLatin1String(f.name);
        if (!known)
            r.fail(it.key(), QStringLiteral("is not a pricing field"));
    }
    return p;
}

QJsonObject ModelPricing::toJson() const
{
    QJsonObject o;
    for (const Field &f : kFields)
        o.insert(QLatin1String(f.name), Credits::toJson(this->*(f.member)));
    return o;
}

} // namespace gw
