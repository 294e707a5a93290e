#include "usagerecorder.h"

#include "common/timeformat.h"
#include "http/httprequest.h"
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

void UsageRecorder::recordRefusal(const HttpRequest &request, const ApiKeyRecord &key, const QString &family,
                                  const QString &endpoint, const QString &model, const ApiError &error)
{
    UsageRecord r;
    r.requestId = request.requestId;
    r.createdAtMs = TimeFormat::nowMs();
    r.userId = key.userId;
    r.keyId = key.id;
    r.projectId = key.projectId;
    r.family = family;
    r.endpoint = endpoint;
    r.model = model;
    r.status = error.status;
    r.errorCode = error.code;
    r.errorMessage = error.message;
    r.clientIp = request.peer.toString();
    r.userAgent = QString::fromUtf8(request.header("user-agent"));
    r.storePayload = storesPayloadFor(key.storePayloads);
    if (r.storePayload)
        r.requestBody = cap(request.body, &r.requestTruncated);
    record(std::move(r));
}

void UsageRecorder::record(UsageRecord record)
{
    ++m_recorded;
    m_store.writeDetached([r = std::move(record)](SqlSession &s) { UsageRepository::insert(s, r); });
}

} // namespace gw
