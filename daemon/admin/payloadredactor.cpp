#include "payloadredactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace gw {

namespace {

QJsonValue redactValue(const QJsonValue &v, bool sensitive);

QString placeholder(const QString &s)
{
    return QStringLiteral("[redacted: %1 chars]").arg(s.size());
}

bool isSensitiveKey(const QString &key)
{
    static const QStringList keys = {
        QStringLiteral("content"), QStringLiteral("text"), QStringLiteral("input"), QStringLiteral("prompt"),
        QStringLiteral("instructions"), QStringLiteral("system"), QStringLiteral("arguments"),
        QStringLiteral("parts"), QStringLiteral("contents"), QStringLiteral("data"), QStringLiteral("url"),
        QStringLiteral("image_url"), QStringLiteral("embedding"), QStringLiteral("lyrics"),
    };
    return keys.contains(key);
}

QJsonValue redactValue(const QJsonValue &v, bool sensitive)
{
    if (v.isString())
        return sensitive ? QJsonValue(placeholder(v.toString())) : v;
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : v.toArray())
            out.append(redactValue(item, sensitive));
        return out;
    }
    if (v.isObject()) {
        const QJsonObject in = v.toObject();
        QJsonObject out;
        for (auto it = in.constBegin(); it != in.constEnd(); ++it)
            out.insert(it.key(), redactValue(it.value(), sensitive || isSensitiveKey(it.key())));
        return out;
    }
    return v;
}

} // namespace

QByteArray PayloadRedactor::redact(const QByteArray &payload)
{
    if (payload.isEmpty())
        return payload;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("[redacted: %1 bytes]").arg(payload.size()).toUtf8();
    const QJsonValue redacted = redactValue(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), false);
    return redacted.isObject() ? QJsonDocument(redacted.toObject()).toJson(QJsonDocument::Compact)
                               : QJsonDocument(redacted.toArray()).toJson(QJsonDocument::Compact);
}

} // namespace gw
