#pragma once

#include "routing/channelinfo.h"
#include "routing/modelinfo.h"

#include <QList>

namespace gw {

class SecretBox;
class SqlSession;

// The SQL behind channels, models and model routes. Secrets go in and come
// out sealed; resolving them is the caller's business.
class CatalogRepository
{
public:
    struct ChannelRow
    {
        ChannelInfo info;        // without the plaintext secret
        QByteArray sealedSecret; // "v1:..." or empty
    };

    static QList<ChannelRow> loadChannels(SqlSession &s);
    static QList<ModelInfo> loadModels(SqlSession &s);
    static std::optional<ChannelRow> findChannel(SqlSession &s, const QString &id);
    static std::optional<ModelInfo> findModel(SqlSession &s, const QString &id);

    static void insertChannel(SqlSession &s, const ChannelInfo &c, const QByteArray &sealedSecret);
    static void updateChannel(SqlSession &s, const ChannelInfo &c, const QByteArray &sealedSecret);
    static void deleteChannel(SqlSession &s, const QString &id);
    // Ids of the models that route to a channel.
    static QStringList modelsUsingChannel(SqlSession &s, const QString &channelId);
    // The cost rules and channel-scoped rate limits of a channel, by id.
    static QStringList rulesNamingChannel(SqlSession &s, const QString &channelId);

    static void insertModel(SqlSession &s, const ModelInfo &m);
    static void updateModel(SqlSession &s, const ModelInfo &m);
    static void deleteModel(SqlSession &s, const QString &id);
};

} // namespace gw
