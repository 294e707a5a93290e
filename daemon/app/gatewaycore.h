#pragma once

#include "access/admintokenregistry.h"
#include "access/admintokenservice.h"
#include "access/accessgate.h"
#include "access/accountservice.h"
#include "access/apikeyauthenticator.h"
#include "access/projectservice.h"
#include "access/apikeyregistry.h"
#include "access/apikeyservice.h"
#include "access/userservice.h"
#include "billing/costrulebook.h"
#include "billing/costruleservice.h"
#include "billing/creditservice.h"
#include "billing/ledger.h"
#include "billing/planservice.h"
#include "crypto/keyedhasher.h"
#include "crypto/masterkey.h"
#include "crypto/secretbox.h"
#include "limits/concurrencylimiter.h"
#include "limits/keyblocklist.h"
#include "limits/keyblockservice.h"
#include "limits/ratelimiter.h"
#include "limits/ratelimitrules.h"
#include "limits/ratelimitservice.h"
#include "observability/metrics.h"
#include "routing/catalogservice.h"
#include "relay/relayservices.h"
#include "relay/usagerecorder.h"
#include "routing/catalogstore.h"
#include "routing/channelhealthregistry.h"
#include "store/store.h"

#include <atomic>
#include <memory>

namespace gw {

// The daemon's object graph: the store, the in-memory state the request path
// reads (catalog, keys, admin tokens) and the services over them. Built once
// at start; the HTTP front only ever sees it through the route table.
class GatewayCore
{
public:
    // Which ledger authority decides (ARCHITECTURE.md): "local" (this daemon,
    // in memory, with a journal in `journalDirectory`) or "shared" (the database).
    struct LedgerSettings
    {
        QString mode = QStringLiteral("local");
        QString journalDirectory;
    };

    GatewayCore(std::unique_ptr<Store> store, const MasterKey &masterKey, const QString &instanceId,
                const PayloadPolicy &payloads, const BreakerPolicy &breakers, const LedgerSettings &ledger);
    ~GatewayCore();

    // Loads catalog, API keys and admin tokens into memory (blocking; start-up only).
    bool loadState(QString *error);

    Store &store() { return *m_store; }
    CatalogStore &catalog() { return m_catalog; }
    const SecretBox &secretBox() const { return m_secretBox; }
    ApiKeyRegistry &apiKeys() { return m_apiKeys; }
    AdminTokenRegistry &adminTokens() { return m_adminTokens; }
    CatalogService &catalogService() { return m_catalogService; }
    UserService &userService() { return m_userService; }
    CreditService &creditService() { return m_creditService; }
    ApiKeyService &apiKeyService() { return m_apiKeyService; }
    AdminTokenService &adminTokenService() { return m_adminTokenService; }
    Metrics &metrics() { return m_metrics; }
    RelayServices relayServices()
    {
        return RelayServices{m_catalog, m_channelHealth, m_usageRecorder, *m_ledger, m_gate, m_costRules, m_metrics.relay()};
    }
    Ledger &ledger() { return *m_ledger; }
    AccessGate &gate() { return m_gate; }
    UserDirectory &users() { return m_users; }
    PlanBook &plans() { return m_plans; }
    ProjectDirectory &projects() { return m_projects; }
    PlanService &planService() { return m_planService; }
    ProjectService &projectService() { return m_projectService; }
    AccountService &accountService() { return m_accountService; }
    ChannelHealthRegistry &channelHealth() { return m_channelHealth; }
    const ApiKeyAuthenticator &authenticator() const { return m_authenticator; }
    UsageRecorder &usageRecorder() { return m_usageRecorder; }
    RateLimiter &rateLimiter() { return m_rateLimiter; }
    ConcurrencyLimiter &concurrencyLimiter() { return m_concurrencyLimiter; }
    RateLimitRules &rateLimitRules() { return m_rateLimitRules; }
    KeyBlockList &keyBlocks() { return m_keyBlocks; }
    CostRuleBook &costRules() { return m_costRules; }
    RateLimitService &rateLimitService() { return m_rateLimitService; }
    KeyBlockService &keyBlockService() { return m_keyBlockService; }
    CostRuleService &costRuleService() { return m_costRuleService; }

    // Shutdown: the ledger's and the usage rows' backlogs are written, then
    // the store closes. Once; the destructor does it if nobody did.
    void closeStore();

    bool draining() const { return m_draining.load(); }
    void setDraining() { m_draining.store(true); }

private:
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Ledger> m_ledger;
    SecretBox m_secretBox;
    KeyedHasher m_hasher;
    CatalogStore m_catalog;
    ApiKeyRegistry m_apiKeys;
    AdminTokenRegistry m_adminTokens;
    CatalogService m_catalogService;
    UserService m_userService;
    CreditService m_creditService;
    ApiKeyService m_apiKeyService;
    AdminTokenService m_adminTokenService;
    Metrics m_metrics;
    ChannelHealthRegistry m_channelHealth;
    ApiKeyAuthenticator m_authenticator;
    UsageRecorder m_usageRecorder;
    RateLimiter m_rateLimiter;
    ConcurrencyLimiter m_concurrencyLimiter;
    RateLimitRules m_rateLimitRules;
    KeyBlockList m_keyBlocks;
    CostRuleBook m_costRules;
    RateLimitService m_rateLimitService;
    KeyBlockService m_keyBlockService;
    CostRuleService m_costRuleService;
    UserDirectory m_users;
    PlanBook m_plans;
    ProjectDirectory m_projects;
    AccessGate m_gate;
    PlanService m_planService;
    ProjectService m_projectService;
    AccountService m_accountService;
    std::atomic<bool> m_draining{false};
    bool m_storeClosed = false;
};

} // namespace gw
