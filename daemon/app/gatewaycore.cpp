#include "gatewaycore.h"

#include "routing/catalogloader.h"
#include "store/admintokenrepository.h"
#include "store/apikeyrepository.h"
#include "store/sqlsession.h"

namespace gw {

GatewayCore::GatewayCore(std::unique_ptr<Store> store, const MasterKey &masterKey, const PayloadPolicy &payloads,
                         const BreakerPolicy &breakers)
    : m_store(std::move(store))
    , m_secretBox(masterKey.secretEncryptionKey())
    , m_hasher(masterKey.tokenHashingKey())
    , m_apiKeys(m_hasher)
    , m_adminTokens(m_hasher)
    , m_catalogService(*m_store, m_catalog, m_secretBox)
    , m_userService(*m_store)
    , m_creditService(*m_store)
    , m_apiKeyService(*m_store, m_apiKeys)
    , m_adminTokenService(*m_store, m_adminTokens)
    , m_channelHealth(breakers)
    , m_authenticator(m_apiKeys)
    , m_usageRecorder(*m_store, payloads)
{
}

GatewayCore::~GatewayCore()
{
    m_store->close();
}

bool GatewayCore::loadState(QString *error)
{
    struct State
    {
        std::shared_ptr<const Catalog> catalog;
        QList<ApiKeyRecord> keys;
        QList<AdminTokenRecord> tokens;
    };
    const SecretBox &secrets = m_secretBox;
    auto outcome = m_store->readAndWait<State>([&secrets](SqlSession &s) {
        return State{CatalogLoader::load(s, secrets), ApiKeyRepository::loadLive(s), AdminTokenRepository::loadActive(s)};
    });
    if (!outcome.ok()) {
        *error = outcome.error().message();
        return false;
    }
    m_catalog.publish(outcome.value().catalog);
    m_apiKeys.replaceAll(outcome.value().keys);
    m_adminTokens.replaceAll(outcome.value().tokens);
    return true;
}

} // namespace gw
