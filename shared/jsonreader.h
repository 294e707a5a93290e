#pragma once

#include "fielderrors.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace gw {

// Reads typed fields out of a JSON object and records a FieldErrors entry,
// named with the field's full path, for each one that is missing or wrong.
// An absent optional field reads as std::nullopt without an error; JSON null
// reads as absent too (isNull() tells the two apart where that matters).
class JsonReader
{
public:
    enum Presence { Optional, Required };

    JsonReader(const QJsonObject &object, FieldErrors &errors, const QString &prefix = {});

    bool has(const QString &key) const;
    bool isNull(const QString &key) const;
    QString path(const QString &key) const;
    FieldErrors &errors() const { return m_errors; }
    const QJsonObject &object() const { return m_object; }

    std::optional<QString> string(const QString &key, Presence presence, int maxLength = 1024) const;
    // A string that must be one of the allowed values.
    std::optional<QString> choice(const QString &key, const QStringList &allowed, Presence presence) const;
    std::optional<qint64> integer(const QString &key, qint64 min, qint64 max, Presence presence) const;
    std::optional<bool> boolean(const QString &key, Presence presence) const;
    // Decimal credits, parsed exactly into micro-credits (see Credits).
    std::optional<qint64> credits(const QString &key, Presence presence, bool allowNegative = false) const;
    std::optional<QStringList> stringList(const QString &key, Presence presence, int maxItems = 1000) const;
    std::optional<QJsonObject> object(const QString &key, Presence presence) const;
    std::optional<QJsonArray> array(const QString &key, Presence presence) const;
    // An RFC 3339 timestamp, returned in UTC.
    std::optional<QDateTime> timestamp(const QString &key, Presence presence) const;

    void fail(const QString &key, const QString &message) const;

private:
    std::optional<QJsonValue> present(const QString &key, Presence presence) const;

    QJsonObject m_object;
    FieldErrors &m_errors;
    QString m_prefix;
};

} // namespace gw
