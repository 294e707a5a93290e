#include "catalogservice.h"

#include "admin/adminviews.h"
#include "catalogloader.h"
#include "catalogstore.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "crypto/secretbox.h"
#include "store/auditlog.h"
#include "store/catalogrepository.h"
#include "store/sqlsession.h"
#include "store/store.h"

#include <QFileInfo>
#include <QJsonArray>

namespace gw {

namespace {

void applyChannelSpec(ChannelInfo &c, QByteArray &sealed, const ChannelSpec &spec, const SecretBox &secrets)
{
    if (spec.name)
        c.name = spec.name->trimmed();
    if (spec.provider)
        c.provider = *spec.provider;
    if (spec.baseUrl) {
        c.baseUrl = *spec.baseUrl;
        while (c.baseUrl.endsWith(QLatin1Char('/')))
            c.baseUrl.chop(1);
    }
    if (spec.types)
        c.types = *spec.types;
    if (spec.priority)
        c.priority = int(*spec.priority);
    if (spec.weight)
        c.weight = int(*spec.weight);
    if (spec.timeoutMs)
        c.timeoutMs = int(*spec.timeoutMs);
    if (spec.enabled)
        c.enabled = *spec.enabled;
    if (spec.config) {
        c.config = *spec.config;
        // Checked where the daemon runs (on the store thread, never an HTTP
        // one): a CA file it cannot read would fail every call to the channel.
        if (const QJsonValue ca = c.config.value(QLatin1String("ca_file")); ca.isString()
            && !QFileInfo(ca.toString()).isReadable())
            throw ServiceError::invalid(QStringLiteral("config.ca_file"),
                                        QStringLiteral("no readable file at %1 on the gateway's host").arg(ca.toString()));
    }
    if (spec.clearSecret) {
        sealed.clear();
        c.secretRef.clear();
    }
    if (spec.secret) {
        sealed = secrets.seal(spec.secret->toUtf8(), CatalogLoader::channelSecretContext(c.id));
        c.secretRef.clear();
    } else if (spec.secretRef) {
        sealed.clear();
        c.secretRef = *spec.secretRef;
    }
    c.secretStored = !sealed.isEmpty();
}

ChannelInfo fromCatalog(const std::shared_ptr<const Catalog> &catalog, const ChannelInfo &fallback)
{
    const auto c = catalog->channel(fallback.id);
    return c ? *c : fallback;
}

void rethrowNameConflict(const ServiceError &e, const QString &what, const QString &name)
{
    if (e.kind() == ServiceError::Kind::Conflict)
        throw ServiceError(QStringLiteral("%1 %2 already exists").arg(what, name), ServiceError::Kind::Conflict,
                           what == QLatin1String("a model") ? QStringLiteral("id") : QStringLiteral("name"));
    throw e;
}

// Checks routes and fallback models against what exists; resolves channel
// names to ids.
void resolveModelReferences(SqlSession &s, ModelInfo &m, const QList<CatalogRepository::ChannelRow> &channels)
{
    for (qsizetype i = 0; i < m.routes.size(); ++i) {
        ModelRoute &r = m.routes[i];
        const CatalogRepository::ChannelRow *found = nullptr;
        for (const auto &row : channels) {
            if (row.info.id == r.channelId) {
                found = &row;
                break;
            }
        }
        if (!found) {
            for (const auto &row : channels) {
                if (row.info.name == r.channelId) {
                    found = &row;
                    break;
                }
            }
        }
        const QString field = QStringLiteral("routes[%1].channel").arg(i);
        if (!found)
            throw ServiceError::invalid(field, QStringLiteral("no channel with id or name %1").arg(r.channelId));
        if (!found->info.types.isEmpty() && !found->info.types.contains(m.type))
            throw ServiceError::invalid(field, QStringLiteral("channel %1 does not serve type %2 (it serves %3)")
                                                   .arg(found->info.name, m.type, found->info.types.join(QStringLiteral(", "))));
        r.channelId = found->info.id;
        if (r.upstreamModel.isEmpty())
            r.upstreamModel = m.id;
    }
    for (qsizetype i = 0; i < m.fallback.models.size(); ++i) {
        const QString &other = m.fallback.models.at(i);
        if (other == m.id)
            throw ServiceError::invalid(QStringLiteral("fallback.models[%1]").arg(i), QStringLiteral("must not name the model itself"));
        if (!CatalogRepository::findModel(s, other))
            throw ServiceError::invalid(QStringLiteral("fallback.models[%1]").arg(i), QStringLiteral("no model %1").arg(other));
    }
}

QList<ModelRoute> routesFromSpec(const QList<ModelRouteSpec> &specs)
{
    QList<ModelRoute> out;
    for (const ModelRouteSpec &r : specs) {
        ModelRoute route;
        route.channelId = r.channel;
        route.upstreamModel = r.upstreamModel;
        if (r.priority)
            route.priority = int(*r.priority);
        if (r.weight)
            route.weight = int(*r.weight);
        out.append(route);
    }
    return out;
}

void applyModelSpec(ModelInfo &m, const ModelSpec &spec)
{
    if (spec.type)
        m.type = *spec.type;
    m.pricing = spec.applyPricing(m.pricing);
    m.fallback = spec.applyFallback(m.fallback);
    if (spec.routes)
        m.routes = routesFromSpec(*spec.routes);
    if (spec.clearMaxOutputTokens)
        m.maxOutputTokens.reset();
    if (spec.maxOutputTokens)
        m.maxOutputTokens = *spec.maxOutputTokens;
    if (spec.enabled)
        m.enabled = *spec.enabled;
    if (spec.displayName)
        m.displayName = *spec.displayName;
    if (spec.description)
        m.description = *spec.description;
}

} // namespace

CatalogService::CatalogService(Store &store, CatalogStore &catalog, const SecretBox &secrets)
    : m_store(store)
    , m_catalog(catalog)
    , m_secrets(secrets)
{
}

const QStringList &CatalogService::knownProviders()
{
    static const QStringList providers = {
        QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini"),
        QStringLiteral("kie"), QStringLiteral("wavespeed"),
    };
    return providers;
}

std::shared_ptr<const Catalog> CatalogService::snapshot() const
{
    return m_catalog.current();
}

template <typename T>
void CatalogService::commit(QObject *context, std::function<Change<T>(SqlSession &)> work, Callback<T> done)
{
    CatalogStore *catalog = &m_catalog;
    m_store.write<Change<T>>(context, std::move(work), [catalog, done = std::move(done)](Outcome<Change<T>> o) {
        if (!o.ok()) {
            done(Outcome<T>(o.error()));
            return;
        }
        catalog->publish(o.value().catalog);
        done(Outcome<T>(std::move(o.value().value)));
    });
}

void CatalogService::createChannel(const ChannelSpec &spec, const AdminActor &actor, QObject *context,
                                   Callback<ChannelInfo> done)
{
    if (spec.provider && !knownProviders().contains(*spec.provider)) {
        done(ServiceError::invalid(QStringLiteral("provider"),
                                   QStringLiteral("must be one of: %1").arg(knownProviders().join(QStringLiteral(", ")))));
        return;
    }
    const SecretBox &secrets = m_secrets;
    commit<ChannelInfo>(context, [spec, actor, &secrets](SqlSession &s) {
        ChannelInfo c;
        c.id = IdGenerator::make("ch");
        c.createdAtMs = c.updatedAtMs = TimeFormat::nowMs();
        QByteArray sealed;
        applyChannelSpec(c, sealed, spec, secrets);
        try {
            CatalogRepository::insertChannel(s, c, sealed);
        } catch (const ServiceError &e) {
            rethrowNameConflict(e, QStringLiteral("a channel named"), c.name);
        }
        auto catalog = CatalogLoader::load(s, secrets);
        ChannelInfo created = fromCatalog(catalog, c);
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("channel"), c.id, std::nullopt,
                         AdminViews::channel(created));
        return Change<ChannelInfo>{created, catalog};
    }, std::move(done));
}

void CatalogService::updateChannel(const QString &id, const ChannelSpec &spec, const AdminActor &actor,
                                   QObject *context, Callback<ChannelInfo> done)
{
    if (spec.provider && !knownProviders().contains(*spec.provider)) {
        done(ServiceError::invalid(QStringLiteral("provider"),
                                   QStringLiteral("must be one of: %1").arg(knownProviders().join(QStringLiteral(", ")))));
        return;
    }
    const SecretBox &secrets = m_secrets;
    commit<ChannelInfo>(context, [id, spec, actor, &secrets](SqlSession &s) {
        auto row = CatalogRepository::findChannel(s, id);
        if (!row)
            throw ServiceError::notFound(QStringLiteral("no channel %1").arg(id));
        const QJsonObject before = AdminViews::channel(row->info);
        ChannelInfo c = row->info;
        QByteArray sealed = row->sealedSecret;
        applyChannelSpec(c, sealed, spec, secrets);
        c.updatedAtMs = TimeFormat::nowMs();
        try {
            CatalogRepository::updateChannel(s, c, sealed);
        } catch (const ServiceError &e) {
            rethrowNameConflict(e, QStringLiteral("a channel named"), c.name);
        }
        auto catalog = CatalogLoader::load(s, secrets);
        ChannelInfo updated = fromCatalog(catalog, c);
        AuditLog::record(s, actor, QStringLiteral("update"), QStringLiteral("channel"), id, before,
                         AdminViews::channel(updated));
        return Change<ChannelInfo>{updated, catalog};
    }, std::move(done));
}

void CatalogService::deleteChannel(const QString &id, const AdminActor &actor, QObject *context, Callback<bool> done)
{
    const SecretBox &secrets = m_secrets;
    commit<bool>(context, [id, actor, &secrets](SqlSession &s) {
        auto row = CatalogRepository::findChannel(s, id);
        if (!row)
            throw ServiceError::notFound(QStringLiteral("no channel %1").arg(id));
        const QStringList users = CatalogRepository::modelsUsingChannel(s, id);
        if (!users.isEmpty())
            throw ServiceError::conflict(QStringLiteral("channel %1 is routed to by model(s) %2; remove those routes first")
                                             .arg(id, users.join(QStringLiteral(", "))));
        // Its cost and rate-limit rules would outlive it with nothing to
        // apply to; removing them here would drop what the operator set.
        const QStringList rules = CatalogRepository::rulesNamingChannel(s, id);
        if (!rules.isEmpty())
            throw ServiceError::conflict(QStringLiteral("channel %1 is named by rule(s) %2; delete those first")
                                             .arg(id, rules.join(QStringLiteral(", "))));
        CatalogRepository::deleteChannel(s, id);
        AuditLog::record(s, actor, QStringLiteral("delete"), QStringLiteral("channel"), id,
                         AdminViews::channel(row->info), std::nullopt);
        return Change<bool>{true, CatalogLoader::load(s, secrets)};
    }, std::move(done));
}

void CatalogService::createModel(const ModelSpec &spec, const AdminActor &actor, QObject *context,
                                 Callback<ModelInfo> done)
{
    const SecretBox &secrets = m_secrets;
    commit<ModelInfo>(context, [spec, actor, &secrets](SqlSession &s) {
        ModelInfo m;
        m.id = spec.id.value_or(QString());
        m.createdAtMs = m.updatedAtMs = TimeFormat::nowMs();
        applyModelSpec(m, spec);
        if (CatalogRepository::findModel(s, m.id))
            throw ServiceError(QStringLiteral("a model %1 already exists").arg(m.id), ServiceError::Kind::Conflict,
                               QStringLiteral("id"));
        resolveModelReferences(s, m, CatalogRepository::loadChannels(s));
        try {
            CatalogRepository::insertModel(s, m);
        } catch (const ServiceError &e) {
            rethrowNameConflict(e, QStringLiteral("a model"), m.id);
        }
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("model"), m.id, std::nullopt,
                         AdminViews::model(m));
        return Change<ModelInfo>{m, CatalogLoader::load(s, secrets)};
    }, std::move(done));
}

void CatalogService::updateModel(const QString &id, const ModelSpec &spec, const AdminActor &actor, QObject *context,
                                 Callback<ModelInfo> done)
{
    const SecretBox &secrets = m_secrets;
    commit<ModelInfo>(context, [id, spec, actor, &secrets](SqlSession &s) {
        auto found = CatalogRepository::findModel(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no model %1").arg(id));
        const QJsonObject before = AdminViews::model(*found);
        ModelInfo m = *found;
        applyModelSpec(m, spec);
        m.updatedAtMs = TimeFormat::nowMs();
        resolveModelReferences(s, m, CatalogRepository::loadChannels(s));
        CatalogRepository::updateModel(s, m);
        AuditLog::record(s, actor, QStringLiteral("update"), QStringLiteral("model"), id, before, AdminViews::model(m));
        return Change<ModelInfo>{m, CatalogLoader::load(s, secrets)};
    }, std::move(done));
}

void CatalogService::deleteModel(const QString &id, const AdminActor &actor, QObject *context, Callback<bool> done)
{
    const SecretBox &secrets = m_secrets;
    commit<bool>(context, [id, actor, &secrets](SqlSession &s) {
        auto found = CatalogRepository::findModel(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no model %1").arg(id));
        CatalogRepository::deleteModel(s, id);
        AuditLog::record(s, actor, QStringLiteral("delete"), QStringLiteral("model"), id, AdminViews::model(*found),
                         std::nullopt);
        return Change<bool>{true, CatalogLoader::load(s, secrets)};
    }, std::move(done));
}

bool CatalogService::importCatalog(const QJsonObject &catalog, QString *error)
{
    struct Parsed
    {
        QList<ChannelSpec> channels;
        QList<ModelSpec> models;
        QList<bool> modelIsNew;
    };
    Parsed parsed;
    FieldErrors errors;
    for (auto it = catalog.constBegin(); it != catalog.constEnd(); ++it) {
        if (it.key() != QLatin1String("channels") && it.key() != QLatin1String("models"))
            errors.add(QStringLiteral("catalog.") + it.key(), QStringLiteral("is not channels or models"));
    }
    const QJsonArray channels = catalog.value(QStringLiteral("channels")).toArray();
    for (qsizetype i = 0; i < channels.size(); ++i) {
        FieldErrors one;
        const ChannelSpec spec = ChannelSpec::fromJson(channels.at(i).toObject(), ChannelSpec::Mode::Create, one);
        for (const auto &e : one.entries())
            errors.add(QStringLiteral("catalog.channels[%1].%2").arg(i).arg(e.field), e.message);
        if (spec.provider && !knownProviders().contains(*spec.provider))
            errors.add(QStringLiteral("catalog.channels[%1].provider").arg(i),
                       QStringLiteral("must be one of: %1").arg(knownProviders().join(QStringLiteral(", "))));
        parsed.channels.append(spec);
    }
    const QJsonArray models = catalog.value(QStringLiteral("models")).toArray();
    for (qsizetype i = 0; i < models.size(); ++i) {
        FieldErrors one;
        const ModelSpec spec = ModelSpec::fromJson(models.at(i).toObject(), ModelSpec::Mode::Create, one);
        for (const auto &e : one.entries())
            errors.add(QStringLiteral("catalog.models[%1].%2").arg(i).arg(e.field), e.message);
        parsed.models.append(spec);
    }
    if (!errors.isEmpty()) {
        *error = errors.summary();
        return false;
    }
    const SecretBox &secrets = m_secrets;
    const AdminActor actor{QStringLiteral("config"), AdminRole::Admin, {}, {}};
    auto outcome = m_store.writeAndWait<std::shared_ptr<const Catalog>>([parsed, actor, &secrets](SqlSession &s) {
        const QList<CatalogRepository::ChannelRow> existing = CatalogRepository::loadChannels(s);
        for (const ChannelSpec &spec : parsed.channels) {
            const CatalogRepository::ChannelRow *match = nullptr;
            for (const auto &row : existing) {
                if (row.info.name == spec.name->trimmed())
                    match = &row;
            }
            if (match) {
                ChannelInfo c = match->info;
                QByteArray sealed = match->sealedSecret;
                const QJsonObject before = AdminViews::channel(c);
                applyChannelSpec(c, sealed, spec, secrets);
                c.updatedAtMs = TimeFormat::nowMs();
                CatalogRepository::updateChannel(s, c, sealed);
                AuditLog::record(s, actor, QStringLiteral("update"), QStringLiteral("channel"), c.id, before, AdminViews::channel(c));
            } else {
                ChannelInfo c;
                c.id = IdGenerator::make("ch");
                c.createdAtMs = c.updatedAtMs = TimeFormat::nowMs();
                QByteArray sealed;
                applyChannelSpec(c, sealed, spec, secrets);
                CatalogRepository::insertChannel(s, c, sealed);
                AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("channel"), c.id, std::nullopt, AdminViews::channel(c));
            }
        }
        const QList<CatalogRepository::ChannelRow> allChannels = CatalogRepository::loadChannels(s);
        // Insert or update without fallback references first, so that models
        // may fall back to each other; then set the fallbacks.
        QHash<QString, QStringList> intendedFallbacks;
        for (const ModelSpec &spec : parsed.models) {
            auto found = CatalogRepository::findModel(s, *spec.id);
            ModelInfo m = found ? *found : ModelInfo();
            if (!found) {
                m.id = *spec.id;
                m.createdAtMs = TimeFormat::nowMs();
            }
            const std::optional<QJsonObject> before = found ? std::optional<QJsonObject>(AdminViews::model(*found)) : std::nullopt;
            applyModelSpec(m, spec);
            m.updatedAtMs = TimeFormat::nowMs();
            const QStringList fallbacks = m.fallback.models;
            intendedFallbacks.insert(m.id, fallbacks);
            m.fallback.models.clear();
            resolveModelReferences(s, m, allChannels);
            if (found)
                CatalogRepository::updateModel(s, m);
            else
                CatalogRepository::insertModel(s, m);
            m.fallback.models = fallbacks;
            AuditLog::record(s, actor, found ? QStringLiteral("update") : QStringLiteral("create"), QStringLiteral("model"),
                             m.id, before, AdminViews::model(m));
        }
        for (const ModelSpec &spec : parsed.models) {
            ModelInfo m = *CatalogRepository::findModel(s, *spec.id);
            m.fallback.models = intendedFallbacks.value(m.id);
            resolveModelReferences(s, m, allChannels);
            CatalogRepository::updateModel(s, m);
        }
        return CatalogLoader::load(s, secrets);
    });
    if (!outcome.ok()) {
        *error = outcome.error().message();
        return false;
    }
    m_catalog.publish(outcome.value());
    return true;
}

} // namespace gw
