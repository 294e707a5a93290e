#include "modelslisting.h"

#include "access/accessgate.h"
#include "access/apikeyauthenticator.h"
#include "common/timeformat.h"

#include <QJsonArray>

namespace gw {

QList<Catalog::ModelPtr> ModelsListing::visibleModels(const Catalog &catalog, const ApiKeyRecord &key, const PlanRecord *plan)
{
    QList<Catalog::ModelPtr> out;
    for (const auto &m : catalog.models()) {
        if (m->enabled && ApiKeyAuthenticator::allowsModel(key, m->id) && (!plan || AccessGate::planAllows(*plan, m->id)))
            out.append(m);
    }
    return out;
}

Catalog::ModelPtr ModelsListing::visibleModel(const Catalog &catalog, const ApiKeyRecord &key, const PlanRecord *plan,
                                             const QString &id)
{
    const auto model = catalog.model(id);
    if (!model || !model->enabled || !ApiKeyAuthenticator::allowsModel(key, id) || (plan && !AccessGate::planAllows(*plan, id)))
        return nullptr;
    return model;
}

QJsonObject ModelsListing::openAiModel(const ModelInfo &model)
{
    return QJsonObject{{QStringLiteral("id"), model.id},
                       {QStringLiteral("object"), QStringLiteral("model")},
                       {QStringLiteral("created"), double(model.createdAtMs / 1000)},
                       {QStringLiteral("owned_by"), QStringLiteral("gateway")}};
}

QJsonObject ModelsListing::openAiList(const QList<Catalog::ModelPtr> &models)
{
    QJsonArray data;
    for (const auto &m : models)
        data.append(openAiModel(*m));
    return QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}};
}

QJsonObject ModelsListing::anthropicModel(const ModelInfo &model)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("model")},
                       {QStringLiteral("id"), model.id},
                       {QStringLiteral("display_name"), model.displayName.isEmpty() ? model.id : model.displayName},
                       {QStringLiteral("created_at"), TimeFormat::rfc3339(model.createdAtMs)}};
}

QJsonObject ModelsListing::anthropicList(const QList<Catalog::ModelPtr> &models)
{
    QJsonArray data;
    for (const auto &m : models)
        data.append(anthropicModel(*m));
    return QJsonObject{{QStringLiteral("data"), data},
                       {QStringLiteral("has_more"), false},
                       {QStringLiteral("first_id"), models.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(models.first()->id)},
                       {QStringLiteral("last_id"), models.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(models.last()->id)}};
}

QJsonObject ModelsListing::geminiModel(const ModelInfo &model)
{
    const bool embeddings = model.type == QLatin1String("embeddings");
    const QJsonArray methods = embeddings ? QJsonArray{QStringLiteral("embedContent"), QStringLiteral("batchEmbedContents")}
                                          : QJsonArray{QStringLiteral("generateContent"), QStringLiteral("streamGenerateContent"),
                                                       QStringLiteral("countTokens")};
    QJsonObject out{{QStringLiteral("name"), QString(QStringLiteral("models/") + model.id)},
                    {QStringLiteral("baseModelId"), model.id},
                    {QStringLiteral("version"), QStringLiteral("001")},
                    {QStringLiteral("displayName"), model.displayName.isEmpty() ? model.id : model.displayName},
                    {QStringLiteral("description"), model.description},
                    {QStringLiteral("supportedGenerationMethods"), methods}};
    if (model.maxOutputTokens)
        out.insert(QStringLiteral("outputTokenLimit"), double(*model.maxOutputTokens));
    return out;
}

QJsonObject ModelsListing::geminiList(const QList<Catalog::ModelPtr> &models)
{
    QJsonArray list;
    for (const auto &m : models)
        list.append(geminiModel(*m));
    return QJsonObject{{QStringLiteral("models"), list}};
}

} // namespace gw
