#pragma once

#include "fielderrors.h"

#include <QJsonObject>
#include <QStringList>

namespace gw {

// When a model's call may move on to the next route and then to other models:
// `on` lists the failure classes that allow it (connect, timeout, 5xx, 429,
// auth: the channel's own credentials refused); a caller's own 4xx never does.
struct FallbackPolicy
{
    QStringList models;
    QStringList on = defaultTriggers();
    int maxAttempts = 3;

    bool operator==(const FallbackPolicy &) const = default;

    static const QStringList &knownTriggers();
    static QStringList defaultTriggers();
    static FallbackPolicy fromJson(const QJsonObject &object, const FallbackPolicy &base, FieldErrors &errors,
                                   const QString &prefix);
    QJsonObject toJson() const;
};

} // namespace gw
