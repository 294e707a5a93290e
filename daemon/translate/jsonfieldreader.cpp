#include "jsonfieldreader.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gw {

JsonFieldReader::JsonFieldReader(ChatCodec::Error *error)
    : m_error(error)
{
}

QString JsonFieldReader::path(const QString &parent, QLatin1String key)
{
    return parent.isEmpty() ? QString(key) : parent + u'.' + key;
}

QString JsonFieldReader::path(const QString &parent, qsizetype index)
{
    return parent + u'[' + QString::number(index) + u']';
}

QString JsonFieldReader::typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

bool JsonFieldReader::fail(const QString &param, const QString &message)
{
    if (!m_failed) {
        m_failed = true;
        if (m_error) {
            m_error->message = message;
            m_error->param = param;
        }
    }
    return false;
}

bool JsonFieldReader::wrongType(const QString &param, const QString &expected, const QJsonValue &got)
{
    return fail(param, u"Invalid type for '%1': expected %2, but got %3 instead."_s.arg(param, expected, typeName(got)));
}

bool JsonFieldReader::missing(const QString &param)
{
    return fail(param, u"Missing required parameter: '%1'."_s.arg(param));
}

bool JsonFieldReader::invalidValue(const QString &param, const QString &why)
{
    return fail(param, u"Invalid value for '%1': %2"_s.arg(param, why));
}

std::optional<QString> JsonFieldReader::string(const QJsonObject &object, QLatin1String key, const QString &parent)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isString()) {
        wrongType(path(parent, key), u"a string"_s, v);
        return std::nullopt;
    }
    return v.toString();
}

std::optional<double> JsonFieldReader::number(const QJsonObject &object, QLatin1String key, const QString &parent)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isDouble()) {
        wrongType(path(parent, key), u"a number"_s, v);
        return std::nullopt;
    }
    return v.toDouble();
}

std::optional<qint64> JsonFieldReader::integer(const QJsonObject &object, QLatin1String key, const QString &parent)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    const double d = v.toDouble();
    // 2^63 as a double: beyond it toInteger() cannot represent the value.
    constexpr double Limit = 9223372036854775808.0;
    if (!v.isDouble() || std::trunc(d) != d || d >= Limit || d < -Limit) {
        wrongType(path(parent, key), u"an integer"_s, v);
        return std::nullopt;
    }
    return v.toInteger(qint64(d));
}

std::optional<bool> JsonFieldReader::boolean(const QJsonObject &object, QLatin1String key, const QString &parent)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isBool()) {
        wrongType(path(parent, key), u"a boolean"_s, v);
        return std::nullopt;
    }
    return v.toBool();
}

std::optional<QJsonObject> JsonFieldReader::object(const QJsonObject &object, QLatin1String key, const QString &parent)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isObject()) {
        wrongType(path(parent, key), u"an object"_s, v);
        return std::nullopt;
    }
    return v.toObject();
}

std::optional<QJsonArray> JsonFieldReader::array(const QJsonObject &object, QLatin1String key, const QString &parent)
{
    const QJsonValue v = object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isArray()) {
        wrongType(path(parent, key), u"an array"_s, v);
        return std::nullopt;
    }
    return v.toArray();
}

std::optional<QString> JsonFieldReader::requiredString(const QJsonObject &object, QLatin1String key, const QString &parent)
{
    auto v = string(object, key, parent);
    if (!v && !m_failed)
        missing(path(parent, key));
    return v;
}

std::optional<QJsonObject> JsonFieldReader::requiredObject(const QJsonObject &object, QLatin1String key,
                                                           const QString &parent)
{
    auto v = this->object(object, key, parent);
    if (!v && !m_failed)
        missing(path(parent, key));
    return v;
}

std::optional<QJsonArray> JsonFieldReader::requiredArray(const QJsonObject &object, QLatin1String key, const QString &parent)
{
    auto v = array(object, key, parent);
    if (!v && !m_failed)
        missing(path(parent, key));
    return v;
}

std::optional<QJsonObject> JsonFieldReader::element(const QJsonArray &array, qsizetype index, const QString &arrayPath)
{
    const QJsonValue v = array.at(index);
    if (!v.isObject()) {
        wrongType(path(arrayPath, index), u"an object"_s, v);
        return std::nullopt;
    }
    return v.toObject();
}

} // namespace gw
