#pragma once

#include "catalog.h"

#include <memory>

namespace gw {

class SecretBox;
class SqlSession;

// Builds a catalog snapshot from the database: decrypts stored channel
// secrets and resolves env:/file: references. Runs on a store thread.
// Versions increase with every build, and builds happen in commit order on
// the writer thread, so a newer version always reflects newer data.
class CatalogLoader
{
public:
    static std::shared_ptr<const Catalog> load(SqlSession &session, const SecretBox &secrets);
    static QByteArray channelSecretContext(const QString &channelId);
};

} // namespace gw
