#pragma once

#include <fielderrors.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace gw::console {

// One channel as GET /admin/v1/channels describes it, reduced to what the
// console shows. The secret itself never leaves the daemon; only whether one
// is set.
struct ChannelRow
{
    QString id;
    QString name;
    QString provider;
    QString baseUrl;
    QStringList types;
    qint64 priority = 0;
    qint64 weight = 1;
    std::optional<qint64> timeoutMs;
    bool enabled = true;
    bool secretSet = false;
    QDateTime createdAt;
    QDateTime updatedAt;

    // Reads one channel object; std::nullopt, with `errors` saying why, when
    // a field has the wrong type or id, name or provider is missing. Fields
    // the console does not know are ignored, so a newer daemon still works.
    static std::optional<ChannelRow> fromJson(const QJsonObject &object, gw::FieldErrors &errors,
                                              const QString &prefix = {});

    // Reads a "data" array; entries that cannot be read are left out and
    // reported in `errors` under "data[i]".
    static QList<ChannelRow> listFromJson(const QJsonArray &items, gw::FieldErrors &errors);

    bool operator==(const ChannelRow &other) const = default;
};

} // namespace gw::console
