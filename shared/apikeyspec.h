#pragma once

#include "fielderrors.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace gw {

// The body of POST /admin/v1/users/{id}/keys and PATCH /admin/v1/keys/{id}.
// A key with no `models` may call every model its owner may.
struct ApiKeySpec
{
    enum class Mode { Create, Patch };

    std::optional<QString> name;
    std::optional<QString> status;          // active | disabled
    std::optional<QStringList> models;      // ids or patterns with a trailing *
    std::optional<QStringList> families;    // openai, anthropic, gemini, tasks
    std::optional<QStringList> scopes;      // e.g. manage
    std::optional<QStringList> ipAllow;     // CIDRs
    std::optional<qint64> rpm;
    std::optional<qint64> tpm;
    std::optional<qint64> maxConcurrency;
    std::optional<QString> project;
    std::optional<QDateTime> expiresAt;
    bool clearExpiry = false;
    std::optional<bool> storePayloads;

    static ApiKeySpec fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors);
    QJsonObject toJson() const;

    static const QStringList &knownFamilies();
    static const QStringList &knownScopes();
};

} // namespace gw
