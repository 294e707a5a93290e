#include "channelrow.h"

#include <jsonreader.h>

#include <limits>

namespace gw::console {

std::optional<ChannelRow> ChannelRow::fromJson(const QJsonObject &object, gw::FieldErrors &errors,
                                               const QString &prefix)
{
    gw::FieldErrors found;
    const gw::JsonReader r(object, found, prefix);
    constexpr auto Required = gw::JsonReader::Required;
    constexpr auto Optional = gw::JsonReader::Optional;
    // The limits only guard against nonsense; the daemon enforces the real ones.
    constexpr qint64 Largest = std::numeric_limits<qint32>::max();

    ChannelRow row;
    const auto id = r.string(QStringLiteral("id"), Required);
    const auto name = r.string(QStringLiteral("name"), Required);
    const auto provider = r.string(QStringLiteral("provider"), Required);
    const auto baseUrl = r.string(QStringLiteral("base_url"), Optional, 4096);
    const auto types = r.stringList(QStringLiteral("types"), Optional);
    const auto priority = r.integer(QStringLiteral("priority"), -Largest, Largest, Optional);
    const auto weight = r.integer(QStringLiteral("weight"), 0, Largest, Optional);
    const auto timeoutMs = r.integer(QStringLiteral("timeout_ms"), 0, Largest, Optional);
    const auto enabled = r.boolean(QStringLiteral("enabled"), Optional);
    const auto secretSet = r.boolean(QStringLiteral("secret_set"), Optional);
    const auto createdAt = r.timestamp(QStringLiteral("created_at"), Optional);
    const auto updatedAt = r.timestamp(QStringLiteral("updated_at"), Optional);

    if (!found.isEmpty()) {
        for (const auto &entry : found.entries())
            errors.add(entry.field, entry.message);
        return std::nullopt;
    }

    row.id = *id;
    row.name = *name;
    row.provider = *provider;
    row.baseUrl = baseUrl.value_or(QString());
    row.types = types.value_or(QStringList());
    row.priority = priority.value_or(row.priority);
    row.weight = weight.value_or(row.weight);
    row.timeoutMs = timeoutMs;
    row.enabled = enabled.value_or(row.enabled);
    row.secretSet = secretSet.value_or(row.secretSet);
    row.createdAt = createdAt.value_or(QDateTime());
    row.updatedAt = updatedAt.value_or(QDateTime());
    return row;
}

QList<ChannelRow> ChannelRow::listFromJson(const QJsonArray &items, gw::FieldErrors &errors)
{
    QList<ChannelRow> rows;
    rows.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString prefix = QStringLiteral("data[%1]").arg(i);
        if (!items.at(i).isObject()) {
            errors.add(prefix, QStringLiteral("must be an object"));
            continue;
        }
        if (auto row = fromJson(items.at(i).toObject(), errors, prefix))
            rows.append(std::move(*row));
    }
    return rows;
}

} // namespace gw::console
