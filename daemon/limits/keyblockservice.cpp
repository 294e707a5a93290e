#include "keyblockservice.h"

#include "admin/adminviews.h"
#include "common/idgenerator.h"
#include "common/timeformat.h"
#include "keyblocklist.h"
#include "routing/catalogservice.h"
#include "store/auditlog.h"
#include "store/keyblockrepository.h"
#include "store/sqlsession.h"
#include "store/store.h"

namespace gw {

namespace {

struct Change
{
    KeyBlock block;
    quint64 sequence = 0;
};

} // namespace

KeyBlockService::KeyBlockService(Store &store, KeyBlockList &blocks)
    : m_store(store)
    , m_blocks(blocks)
{
}

void KeyBlockService::create(const KeyBlockSpec &spec, const AdminActor &actor, QObject *context, Callback<KeyBlock> done)
{
    if (spec.provider != QLatin1String("*") && !CatalogService::knownProviders().contains(spec.provider)) {
        done(ServiceError::invalid(QStringLiteral("provider"), QStringLiteral("must be * or one of: %1")
                                                                   .arg(CatalogService::knownProviders().join(QStringLiteral(", ")))));
        return;
    }
    KeyBlockList *blocks = &m_blocks;
    std::atomic<quint64> *sequence = &m_sequence;
    m_store.write<Change>(context, [spec, actor, sequence](SqlSession &s) {
        KeyBlock b;
        b.id = IdGenerator::make("blk");
        b.keyId = spec.keyId.value_or(QString()).trimmed();
        b.keyPrefix = spec.keyPrefix.value_or(QString());
        b.provider = spec.provider;
        b.reason = spec.reason;
        b.createdBy = actor.tokenId;
        b.createdAtMs = TimeFormat::nowMs();
        // A deleted key may still be blocked (its id is known), an unknown
        // id is a typo that would block nothing.
        if (!b.keyId.isEmpty() && !s.exec(QStringLiteral("SELECT 1 FROM api_keys WHERE id = ?"), {b.keyId}).next())
            throw ServiceError::invalid(QStringLiteral("key_id"), QStringLiteral("no API key %1").arg(b.keyId));
        if (auto same = KeyBlockRepository::findSame(s, b))
            throw ServiceError(QStringLiteral("block %1 already blocks this key for provider %2").arg(same->id, b.provider),
                               ServiceError::Kind::Conflict, b.keyId.isEmpty() ? QStringLiteral("key_prefix") : QStringLiteral("key_id"));
        KeyBlockRepository::insert(s, b);
        AuditLog::record(s, actor, QStringLiteral("create"), QStringLiteral("key_block"), b.id, std::nullopt,
                         AdminViews::keyBlock(b));
        return Change{b, ++*sequence};
    }, [blocks, done = std::move(done)](Outcome<Change> o) {
        if (!o.ok())
            return done(Outcome<KeyBlock>(o.error()));
        blocks->upsert(o.value().block, o.value().sequence);
        done(Outcome<KeyBlock>(std::move(o.value().block)));
    });
}

void KeyBlockService::remove(const QString &id, const AdminActor &actor, QObject *context, Callback<KeyBlock> done)
{
    KeyBlockList *blocks = &m_blocks;
    std::atomic<quint64> *sequence = &m_sequence;
    m_store.write<Change>(context, [id, actor, sequence](SqlSession &s) {
        auto found = KeyBlockRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no key block %1").arg(id));
        KeyBlockRepository::remove(s, id);
        AuditLog::record(s, actor, QStringLiteral("delete"), QStringLiteral("key_block"), id, AdminViews::keyBlock(*found),
                         std::nullopt);
        return Change{*found, ++*sequence};
    }, [blocks, done = std::move(done)](Outcome<Change> o) {
        if (!o.ok())
            return done(Outcome<KeyBlock>(o.error()));
        blocks->remove(o.value().block.id, o.value().sequence);
        done(Outcome<KeyBlock>(std::move(o.value().block)));
    });
}

void KeyBlockService::get(const QString &id, QObject *context, Callback<KeyBlock> done)
{
    m_store.read<KeyBlock>(context, [id](SqlSession &s) {
        auto found = KeyBlockRepository::find(s, id);
        if (!found)
            throw ServiceError::notFound(QStringLiteral("no key block %1").arg(id));
        return *found;
    }, std::move(done));
}

void KeyBlockService::list(const QString &keyId, const QString &cursor, int limit, QObject *context,
                           Callback<Page<KeyBlock>> done)
{
    m_store.read<Page<KeyBlock>>(context, [keyId, cursor, limit](SqlSession &s) {
        return KeyBlockRepository::list(s, keyId, cursor, limit);
    }, std::move(done));
}

} // namespace gw
