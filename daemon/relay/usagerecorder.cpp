#include "usagerecorder.h"

#include "store/store.h"
#include "store/usagerepository.h"

namespace gw {

UsageRecorder::UsageRecorder(Store &store, const PayloadPolicy &policy)
    : m_store(store)
    , m_policy(policy)
{
}

bool UsageRecorder::storesPayloadFor(const std::optional<bool> &keySetting) const
{
    return keySetting.value_or(m_policy.storeByDefault);
}

QByteArray UsageRecorder::cap(const QByteArray &body, bool *truncated) const
{
    *truncated = body.size() > m_policy.capBytes;
    if (!*truncated)
        return body;
    // Cut on a UTF-8 boundary so that the stored text stays valid.
    qsizetype end = m_policy.capBytes;
    while (end > 0 && (static_cast<unsigned char>(body.at(end)) & 0xC0) == 0x80)
        --end;
    return body.left(end);
}

void UsageRecorder::record(UsageRecord record)
{
    ++m_recorded;
    m_store.writeDetached([r = std::move(record)](SqlSession &s) { UsageRepository::insert(s, r); });
}

} // namespace gw
