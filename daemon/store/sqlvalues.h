#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace gw {

// Conversions between domain values and what the SQL columns hold: NULL for
// absent optionals, JSON text for lists and objects, 0/1 for flags (portable
// across SQLite and PostgreSQL SMALLINT).
namespace SqlValues {

inline QVariant nullableInt(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

inline QVariant nullableText(const QString &v)
{
    return v.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(v);
}

inline QVariant flag(bool v)
{
    return QVariant(v ? 1 : 0);
}

inline QString jsonList(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

inline QString jsonObject(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

inline QStringList toList(const QVariant &v)
{
    QStringList out;
    const QJsonArray a = QJsonDocument::fromJson(v.toString().toUtf8()).array();
    for (const QJsonValue &item : a)
        out.append(item.toString());
    return out;
}

inline QJsonObject toObject(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

inline std::optional<qint64> toOptionalInt(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

} // namespace SqlValues

} // namespace gw
