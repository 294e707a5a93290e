#pragma once

#include "chatcodec.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1String>
#include <QString>

#include <optional>

namespace gw {

// Reads a caller's JSON body field by field, by type, and names the first
// field of the wrong type ("messages[2].content") in the codec's Error, so
// that the 400 says which one. Absent and null fields read as nullopt without
// an error: every family treats an explicit null like an absent field.
//
// The first failure is the one reported; later reads still answer, so a
// decoder can read a whole object and check failed() once.
class JsonFieldReader
{
public:
    explicit JsonFieldReader(ChatCodec::Error *error);

    static QString path(const QString &parent, QLatin1String key);
    static QString path(const QString &parent, qsizetype index);
    // "a string", "an array", ... as error messages name a JSON value's type.
    static QString typeName(const QJsonValue &value);

    bool failed() const { return m_failed; }
    // Each returns false, for `return reader.fail(...)` in a bool function.
    bool fail(const QString &param, const QString &message);
    bool wrongType(const QString &param, const QString &expected, const QJsonValue &got);
    bool missing(const QString &param);
    bool invalidValue(const QString &param, const QString &why);

    std::optional<QString> string(const QJsonObject &object, QLatin1String key, const QString &parent);
    std::optional<double> number(const QJsonObject &object, QLatin1String key, const QString &parent);
    // A JSON number with no fractional part (2.0 is 2; 2.5 is a type error).
    std::optional<qint64> integer(const QJsonObject &object, QLatin1String key, const QString &parent);
    std::optional<bool> boolean(const QJsonObject &object, QLatin1String key, const QString &parent);
    std::optional<QJsonObject> object(const QJsonObject &object, QLatin1String key, const QString &parent);
    std::optional<QJsonArray> array(const QJsonObject &object, QLatin1String key, const QString &parent);

    // As above, and absent or null is an error too.
    std::optional<QString> requiredString(const QJsonObject &object, QLatin1String key, const QString &parent);
    std::optional<QJsonObject> requiredObject(const QJsonObject &object, QLatin1String key, const QString &parent);
    std::optional<QJsonArray> requiredArray(const QJsonObject &object, QLatin1String key, const QString &parent);

    // An array element that must be an object.
    std::optional<QJsonObject> element(const QJsonArray &array, qsizetype index, const QString &arrayPath);

private:
    ChatCodec::Error *m_error;
    bool m_failed = false;
};

} // namespace gw
