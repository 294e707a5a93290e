#include "jsonreader.h"

#include "credits.h"

#include <QDateTime>

#include <cmath>

namespace gw {

JsonReader::JsonReader(const QJsonObject &object, FieldErrors &errors, const QString &prefix)
    : m_object(object)
    , m_errors(errors)
    , m_prefix(prefix)
{
}

bool JsonReader::has(const QString &key) const
{
    return m_object.contains(key);
}

bool JsonReader::isNull(const QString &key) const
{
    return m_object.contains(key) && m_object.value(key).isNull();
}

QString JsonReader::path(const QString &key) const
{
    return m_prefix.isEmpty() ? key : m_prefix + QLatin1Char('.') + key;
}

void JsonReader::fail(const QString &key, const QString &message) const
{
    m_errors.add(path(key), message);
}

std::optional<QJsonValue> JsonReader::present(const QString &key, Presence presence) const
{
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd() || it->isNull()) {
        if (presence == Required)
            fail(key, QStringLiteral("is required"));
        return std::nullopt;
    }
    return *it;
}

std::optional<QString> JsonReader::string(const QString &key, Presence presence, int maxLength) const
{
    const auto v = present(key, presence);
    if (!v)
        return std::nullopt;
    if (!v->isString()) {
        fail(key, QStringLiteral("must be a string"));
        return std::nullopt;
    }
    QString s = v->toString();
    if (presence == Required && s.trimmed().isEmpty()) {
        fail(key, QStringLiteral("must not be empty"));
        return std::nullopt;
    }
    if (s.size() > maxLength) {
        fail(key, QStringLiteral("must be at most %1 characters").arg(maxLength));
        return std::nullopt;
    }
    return s;
}

std::optional<QString> JsonReader::choice(const QString &key, const QStringList &allowed, Presence presence) const
{
    auto s = string(key, presence);
    if (!s)
        return std::nullopt;
    if (!allowed.contains(*s)) {
        fail(key, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    return s;
}

std::optional<qint64> JsonReader::integer(const QString &key, qint64 min, qint64 max, Presence presence) const
{
    const auto v = present(key, presence);
    if (!v)
        return std::nullopt;
    const double d = v->toDouble(std::nan(""));
    if (!v->isDouble() || !std::isfinite(d) || d != std::floor(d)) {
        fail(key, QStringLiteral("must be an integer"));
        return std::nullopt;
    }
    if (d < double(min) || d > double(max)) {
        fail(key, QStringLiteral("must be between %1 and %2").arg(min).arg(max));
        return std::nullopt;
    }
    return qint64(d);
}

std::optional<bool> JsonReader::boolean(const QString &key, Presence presence) const
{
    const auto v = present(key, presence);
    if (!v)
        return std::nullopt;
    if (!v->isBool()) {
        fail(key, QStringLiteral("must be true or false"));
        return std::nullopt;
    }
    return v->toBool();
}

std::optional<qint64> JsonReader::credits(const QString &key, Presence presence, bool allowNegative) const
{
    const auto v = present(key, presence);
    if (!v)
        return std::nullopt;
    QString why;
    const auto micro = Credits::parseMicro(*v, &why);
    if (!micro) {
        fail(key, why);
        return std::nullopt;
    }
    if (!allowNegative && *micro < 0) {
        fail(key, QStringLiteral("must not be negative"));
        return std::nullopt;
    }
    return micro;
}

std::optional<QStringList> JsonReader::stringList(const QString &key, Presence presence, int maxItems) const
{
    const auto v = present(key, presence);
    if (!v)
        return std::nullopt;
    if (!v->isArray()) {
        fail(key, QStringLiteral("must be an array of strings"));
        return std::nullopt;
    }
    const QJsonArray a = v->toArray();
    if (a.size() > maxItems) {
        fail(key, QStringLiteral("must have at most %1 items").arg(maxItems));
        return std::nullopt;
    }
    QStringList out;
    out.reserve(a.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!a.at(i).isString() || a.at(i).toString().isEmpty()) {
            m_errors.add(QStringLiteral("%1[%2]").arg(path(key)).arg(i), QStringLiteral("must be a non-empty string"));
            return std::nullopt;
        }
        out.append(a.at(i).toString());
    }
    return out;
}

std::optional<QJsonObject> JsonReader::object(const QString &key, Presence presence) const
{
    const auto v = present(key, presence);
    if (!v)
        return std::nullopt;
    if (!v->isObject()) {
        fail(key, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    return v->toObject();
}

std::optional<QJsonArray> JsonReader::array(const QString &key, Presence presence) const
{
    const auto v = present(key, presence);
    if (!v)
        return std::nullopt;
    if (!v->isArray()) {
        fail(key, QStringLiteral("must be an array"));
        return std::nullopt;
    }
    return v->toArray();
}

std::optional<QDateTime> JsonReader::timestamp(const QString &key, Presence presence) const
{
    auto s = string(key, presence);
    if (!s)
        return std::nullopt;
    QDateTime t = QDateTime::fromString(*s, Qt::ISODateWithMs);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime) {
        fail(key, QStringLiteral("must be an RFC 3339 timestamp with a time zone, such as 2026-01-31T12:00:00Z"));
        return std::nullopt;
    }
    return t.toUTC();
}

} // namespace gw
