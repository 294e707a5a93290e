#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace gw {

// An API key as the gateway knows it: never the key itself, only its keyed
// hash, its display prefix and the policy that goes with it.
struct ApiKeyRecord
{
    QString id;
    QString userId;
    QString projectId;
    QString name;
    QByteArray prefix;
    QByteArray hash;
    QString status = QStringLiteral("active"); // active | disabled
    QStringList models;                        // empty: whatever the owner may use
    QStringList families;                      // empty: every family
    QStringList scopes;
    QStringList ipAllow;
    std::optional<qint64> rpm;
    std::optional<qint64> tpm;
    std::optional<qint64> maxConcurrency;
    std::optional<bool> storePayloads;
    std::optional<qint64> expiresAtMs;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    std::optional<qint64> deletedAtMs;

    bool isDeleted() const { return deletedAtMs.has_value(); }
    bool isExpired(qint64 nowMs) const { return expiresAtMs && *expiresAtMs <= nowMs; }
};

} // namespace gw
