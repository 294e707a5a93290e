#include "gatewaycore.h"

#include "billing/localledger.h"
#include "billing/sharedledger.h"
#include "routing/catalogloader.h"
#include "store/admintokenrepository.h"
#include "store/apikeyrepository.h"
#include "store/costrulerepository.h"
#include "store/keyblockrepository.h"
#include "store/planrepository.h"
#include "store/projectrepository.h"
#include "store/ratelimitrepository.h"
#include "store/sqlsession.h"
#include "store/userrepository.h"

namespace gw {

namespace {
std::unique_ptr<Ledger> makeLedger(Store &store, const QString &instanceId, const GatewayCore::LedgerSettings &settings)
{
    if (settings.mode == QLatin1String("shared"))
        return std::make_unique<SharedLedger>(store, instanceId);
    // Decisions are answered before their batch reaches the database: reads
    // of balances and postings queue behind the batches.
    store.setFreshReadsOnWriter(true);
    return std::make_unique<LocalLedger>(store, instanceId, settings.journalDirectory);
}
} // namespace

GatewayCore::GatewayCore(std::unique_ptr<Store> store, const MasterKey &masterKey, const QString &instanceId,
                         const PayloadPolicy &payloads, const BreakerPolicy &breakers, const LedgerSettings &ledger)
    : m_store(std::move(store))
    , m_ledger(makeLedger(*m_store, instanceId, ledger))
    , m_secretBox(masterKey.secretEncryptionKey())
    , m_hasher(masterKey.tokenHashingKey())
    , m_apiKeys(m_hasher)
    , m_adminTokens(m_hasher)
    , m_catalogService(*m_store, m_catalog, m_secretBox)
    , m_userService(*m_store, m_users, m_plans)
    , m_creditService(*m_store, *m_ledger)
    , m_apiKeyService(*m_store, m_apiKeys)
    , m_adminTokenService(*m_store, m_adminTokens)
    , m_channelHealth(breakers)
    , m_authenticator(m_apiKeys)
    , m_usageRecorder(*m_store, payloads)
    , m_rateLimitService(*m_store, m_rateLimitRules)
    , m_keyBlockService(*m_store, m_keyBlocks)
    , m_costRuleService(*m_store, m_costRules)
    , m_gate(m_users, m_plans, m_projects, m_keyBlocks, m_rateLimitRules, m_rateLimiter, m_concurrencyLimiter)
    , m_planService(*m_store, m_plans)
    , m_projectService(*m_store, m_projects)
    , m_accountService(*m_store)
{
}

GatewayCore::~GatewayCore()
{
    closeStore();
}

void GatewayCore::closeStore()
{
    if (m_storeClosed)
        return;
    m_storeClosed = true;
    // What was decided and recorded reaches the database before it closes.
    m_ledger->flush();
    m_usageRecorder.drainForShutdown();
    m_store->close();
}

bool GatewayCore::loadState(QString *error)
{
    struct State
    {
        std::shared_ptr<const Catalog> catalog;
        QList<ApiKeyRecord> keys;
        QList<AdminTokenRecord> tokens;
        QList<RateLimitRule> rateLimits;
        QList<KeyBlock> keyBlocks;
        QList<CostRule> costRules;
        QList<UserState> users;
        QList<PlanRecord> plans;
        QList<ProjectRecord> projects;
    };
    const SecretBox &secrets = m_secretBox;
    auto outcome = m_store->readAndWait<State>([&secrets](SqlSession &s) {
        return State{CatalogLoader::load(s, secrets), ApiKeyRepository::loadLive(s), AdminTokenRepository::loadActive(s),
                     RateLimitRepository::loadAll(s), KeyBlockRepository::loadAll(s), CostRuleRepository::loadAll(s),
                     UserRepository::states(s), PlanRepository::all(s), ProjectRepository::all(s)};
    });
    if (!outcome.ok()) {
        *error = outcome.error().message();
        return false;
    }
    m_catalog.publish(outcome.value().catalog);
    m_apiKeys.replaceAll(outcome.value().keys);
    m_adminTokens.replaceAll(outcome.value().tokens);
    m_rateLimitRules.replaceAll(outcome.value().rateLimits);
    m_keyBlocks.replaceAll(outcome.value().keyBlocks);
    m_costRules.replaceAll(outcome.value().costRules);
    m_users.replaceAll(outcome.value().users);
    m_plans.replaceAll(outcome.value().plans);
    m_projects.replaceAll(outcome.value().projects);
    return true;
}

} // namespace gw
