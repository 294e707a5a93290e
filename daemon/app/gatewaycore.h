#pragma once

#include "access/admintokenregistry.h"
#include "access/admintokenservice.h"
#include "access/apikeyauthenticator.h"
#include "access/apikeyregistry.h"
#include "access/apikeyservice.h"
#include "access/userservice.h"
#include "billing/creditservice.h"
#include "crypto/keyedhasher.h"
#include "crypto/masterkey.h"
#include "crypto/secretbox.h"
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
    GatewayCore(std::unique_ptr<Store> store, const MasterKey &masterKey, const PayloadPolicy &payloads = {},
                const BreakerPolicy &breakers = {});
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
    RelayServices relayServices() { return RelayServices{m_catalog, m_channelHealth, m_usageRecorder}; }
    ChannelHealthRegistry &channelHealth() { return m_channelHealth; }
    const ApiKeyAuthenticator &authenticator() const { return m_authenticator; }
    UsageRecorder &usageRecorder() { return m_usageRecorder; }

    bool draining() const { return m_draining.load(); }
    void setDraining() { m_draining.store(true); }

private:
    std::unique_ptr<Store> m_store;
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
    std::atomic<bool> m_draining{false};
};

} // namespace gw
