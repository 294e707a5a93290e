#pragma once

#include "access/apikeyrecord.h"
#include "billing/planrecord.h"
#include "routing/catalog.h"

#include <QJsonObject>

namespace gw {

// The model lists of every family (GET /v1/models, /anthropic/v1/models,
// /v1beta/models and their single-model forms): the catalog's enabled models
// that a key, and its account's plan, may call, in each family's shape.
class ModelsListing
{
public:
    // What the key, and the account's plan if it has one, may call.
    static QList<Catalog::ModelPtr> visibleModels(const Catalog &catalog, const ApiKeyRecord &key, const PlanRecord *plan);
    // One of them; null for a model that does not exist or is out of scope
    // (the two are indistinguishable to the caller).
    static Catalog::ModelPtr visibleModel(const Catalog &catalog, const ApiKeyRecord &key, const PlanRecord *plan,
                                          const QString &id);
    static QJsonObject openAiList(const QList<Catalog::ModelPtr> &models);
    static QJsonObject openAiModel(const ModelInfo &model);
    static QJsonObject anthropicList(const QList<Catalog::ModelPtr> &models);
    static QJsonObject anthropicModel(const ModelInfo &model);
    static QJsonObject geminiList(const QList<Catalog::ModelPtr> &models);
    static QJsonObject geminiModel(const ModelInfo &model);
};

} // namespace gw
