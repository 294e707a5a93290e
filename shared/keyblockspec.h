#pragma once

#include "fielderrors.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace gw {

// The body of POST /admin/v1/blocks: {"key_id" | "key_prefix", "provider"?,
// "reason"?}. A block names one key by id, or every key whose plaintext starts
// with a prefix (a leaked batch, say). The prefix must be long enough that it
// cannot block every key by accident: "sk-" and at least three more
// characters. provider "*" (the default) blocks the key everywhere; a
// provider name blocks only the channels of that provider.
struct KeyBlockSpec
{
    std::optional<QString> keyId;
    std::optional<QString> keyPrefix;
    QString provider = QStringLiteral("*");
    QString reason;

    static constexpr int kMinPrefixLength = 6;

    static KeyBlockSpec fromJson(const QJsonObject &body, FieldErrors &errors);
    QJsonObject toJson() const;
};

} // namespace gw
