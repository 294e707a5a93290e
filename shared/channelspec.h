#pragma once

#include "fielderrors.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace gw {

// The body of POST /admin/v1/channels (every required field present) and of
// PATCH /admin/v1/channels/{id} (any subset). Validation here is about shape;
// whether the provider exists or the name is taken is the daemon's business.
struct ChannelSpec
{
    enum class Mode { Create, Patch };

    std::optional<QString> name;
    std::optional<QString> provider;
    std::optional<QString> baseUrl;
    std::optional<QString> secret;     // plaintext, only ever on the way in
    std::optional<QString> secretRef;  // "env:NAME" or "file:/path"
    bool clearSecret = false;          // PATCH with "secret": null
    std::optional<QStringList> types;
    std::optional<qint64> priority;
    std::optional<qint64> weight;
    std::optional<qint64> timeoutMs;
    std::optional<bool> enabled;
    std::optional<QJsonObject> config;

    static ChannelSpec fromJson(const QJsonObject &body, Mode mode, FieldErrors &errors);
    QJsonObject toJson() const;

    static const QStringList &knownTypes();
};

} // namespace gw
