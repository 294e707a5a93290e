#pragma once

#include "access/apikeyrecord.h"
#include "billing/planrecord.h"
#include "routing/catalog.h"

#include <QJsonObject>

namespace gw {

// GET /v1/models and /v1/models/{id}: the catalog's enabled models that a
// key may call, in OpenAI's list shape, or Anthropic's when the request
// carries anthropic-version (what the Anthropic SDKs send).
class ModelsListing
{
public:
    // What the key, and the account's plan if it has one, may call.
    static QList<Catalog::ModelPtr> visibleModels(const Catalog &catalog, const ApiKeyRecord &key, const PlanRecord *plan);
    static QJsonObject openAiList(const QList<Catalog::ModelPtr> &models);
    static QJsonObject openAiModel(const ModelInfo &model);
    static QJsonObject anthropicList(const QList<Catalog::ModelPtr> &models);
    static QJsonObject anthropicModel(const ModelInfo &model);
};

} // namespace gw
