#include "catalogloader.h"

#include "crypto/secretbox.h"
#include "crypto/secretresolver.h"
#include "store/catalogrepository.h"

#include <atomic>

namespace gw {

namespace {
std::atomic<quint64> g_nextVersion{1};
}

QByteArray CatalogLoader::channelSecretContext(const QString &channelId)
{
    return QByteArrayLiteral("channel-secret:") + channelId.toUtf8();
}

std::shared_ptr<const Catalog> CatalogLoader::load(SqlSession &session, const SecretBox &secrets)
{
    QList<ChannelInfo> channels;
    for (CatalogRepository::ChannelRow &row : CatalogRepository::loadChannels(session)) {
        ChannelInfo c = std::move(row.info);
        if (!row.sealedSecret.isEmpty()) {
            if (auto plain = secrets.open(row.sealedSecret, channelSecretContext(c.id)))
                c.secret = *plain;
            else
                c.secretProblem = QStringLiteral("the stored secret does not decrypt with this master key");
        } else if (!c.secretRef.isEmpty()) {
            QString why;
            if (auto value = SecretResolver::resolve(c.secretRef, &why))
                c.secret = *value;
            else
                c.secretProblem = why;
        }
        channels.append(std::move(c));
    }
    return std::make_shared<const Catalog>(g_nextVersion.fetch_add(1), std::move(channels),
                                           CatalogRepository::loadModels(session));
}

} // namespace gw
