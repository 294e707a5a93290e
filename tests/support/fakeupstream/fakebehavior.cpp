#include "fakebehavior.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace gw::test {

namespace {

bool readInt(const QJsonValue &value, int *out)
{
    if (!value.isDouble())
        return false;
    *out = value.toInt();
    return true;
}

bool readBool(const QJsonValue &value, bool *out)
{
    if (!value.isBool())
        return false;
    *out = value.toBool();
    return true;
}

// Strings and numbers both, because "retry_after": 2 is the natural spelling.
bool readText(const QJsonValue &value, QString *out)
{
    if (value.isString()) {
        *out = value.toString();
        return true;
    }
    if (value.isDouble()) {
        *out = QString::number(value.toDouble());
        return true;
    }
    return false;
}

bool readNumber(QStringView text, int *out)
{
    bool ok = false;
    const int number = text.toInt(&ok);
    if (ok)
        *out = number;
    return ok;
}

} // namespace

std::optional<FakeBehavior> FakeBehavior::fromJson(const QJsonObject &object, QString *error)
{
    FakeBehavior behavior;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        bool ok = true;
        if (key == QLatin1String("status"))
            ok = readInt(value, &behavior.status);
        else if (key == QLatin1String("delay_ms"))
            ok = readInt(value, &behavior.delayMs);
        else if (key == QLatin1String("hang"))
            ok = readBool(value, &behavior.hang);
        else if (key == QLatin1String("malformed_body") || key == QLatin1String("malformed"))
            ok = readBool(value, &behavior.malformedBody);
        else if (key == QLatin1String("cut_after_events"))
            ok = readInt(value, &behavior.cutAfterEvents);
        else if (key == QLatin1String("stream_interval_ms"))
            ok = readInt(value, &behavior.streamIntervalMs);
        else if (key == QLatin1String("omit_usage"))
            ok = readBool(value, &behavior.omitUsage);
        else if (key == QLatin1String("retry_after"))
            ok = readText(value, &behavior.retryAfter);
        else if (key == QLatin1String("body")) {
            // A JSON value is taken as the body itself, so callers need not
            // escape JSON inside a JSON string.
            if (value.isString())
                behavior.body = value.toString().toUtf8();
            else if (value.isObject())
                behavior.body = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
            else if (value.isArray())
                behavior.body = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
            else
                ok = false;
        } else if (key == QLatin1String("headers")) {
            ok = value.isObject();
            const QJsonObject headers = value.toObject();
            for (auto h = headers.begin(); ok && h != headers.end(); ++h) {
                QString headerValue;
                ok = readText(h.value(), &headerValue);
                behavior.headers.append({h.key().toLatin1(), headerValue.toUtf8()});
            }
        } else if (key == QLatin1String("path_contains"))
            ok = readText(value, &behavior.pathContains);
        else if (key == QLatin1String("count"))
            ok = readInt(value, &behavior.count);
        else if (key == QLatin1String("error_message"))
            ok = readText(value, &behavior.errorMessage);
        else if (key == QLatin1String("error_type"))
            ok = readText(value, &behavior.errorType);
        else if (key == QLatin1String("error_code"))
            ok = readText(value, &behavior.errorCode);
        else if (key == QLatin1String("text"))
            ok = readText(value, &behavior.text);
        else if (key == QLatin1String("cache_read"))
            ok = readInt(value, &behavior.cacheReadTokens);
        else if (key == QLatin1String("cache_write"))
            ok = readInt(value, &behavior.cacheWriteTokens);
        else if (key == QLatin1String("thoughts"))
            ok = readInt(value, &behavior.thoughtsTokens);
        else if (key == QLatin1String("stream_error")) {
            // true means the usual overload, the error Anthropic sends most.
            if (value.isBool())
                behavior.streamError = value.toBool() ? QString(kDefaultStreamError) : QString();
            else if (value.isString())
                behavior.streamError = value.toString();
            else
                ok = false;
        } else if (key == QLatin1String("stream_error_after"))
            ok = readInt(value, &behavior.streamErrorAfter);
        else {
            if (error)
                *error = QStringLiteral("unknown behaviour field '") + key + QStringLiteral("'");
            return std::nullopt;
        }
        if (!ok) {
            if (error)
                *error = QStringLiteral("behaviour field '") + key + QStringLiteral("' has the wrong type");
            return std::nullopt;
        }
    }
    return behavior;
}

QJsonObject FakeBehavior::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("status"), status);
    object.insert(QStringLiteral("delay_ms"), delayMs);
    object.insert(QStringLiteral("hang"), hang);
    object.insert(QStringLiteral("malformed_body"), malformedBody);
    object.insert(QStringLiteral("cut_after_events"), cutAfterEvents);
    object.insert(QStringLiteral("stream_interval_ms"), streamIntervalMs);
    object.insert(QStringLiteral("omit_usage"), omitUsage);
    object.insert(QStringLiteral("retry_after"), retryAfter);
    if (body)
        object.insert(QStringLiteral("body"), QString::fromUtf8(*body));
    QJsonObject headerObject;
    for (const auto &[name, value] : headers)
        headerObject.insert(QString::fromLatin1(name), QString::fromUtf8(value));
    object.insert(QStringLiteral("headers"), headerObject);
    object.insert(QStringLiteral("path_contains"), pathContains);
    object.insert(QStringLiteral("count"), count);
    object.insert(QStringLiteral("error_message"), errorMessage);
    object.insert(QStringLiteral("error_type"), errorType);
    object.insert(QStringLiteral("error_code"), errorCode);
    object.insert(QStringLiteral("text"), text);
    object.insert(QStringLiteral("cache_read"), cacheReadTokens);
    object.insert(QStringLiteral("cache_write"), cacheWriteTokens);
    object.insert(QStringLiteral("thoughts"), thoughtsTokens);
    object.insert(QStringLiteral("stream_error"), streamError);
    object.insert(QStringLiteral("stream_error_after"), streamErrorAfter);
    return object;
}

std::optional<FakeBehavior> FakeBehavior::fromModelSpec(QStringView model, QString *error)
{
    if (error)
        error->clear();
    if (!isModelSpec(model))
        return std::nullopt;
    FakeBehavior behavior;
    const QStringView spec = model.mid(5);
    for (QStringView option : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        option = option.trimmed();
        const qsizetype eq = option.indexOf(QLatin1Char('='));
        const QStringView key = eq < 0 ? option : option.left(eq);
        const QStringView value = eq < 0 ? QStringView() : option.mid(eq + 1);
        bool ok = true;
        if (key == QLatin1String("status"))
            ok = readNumber(value, &behavior.status);
        else if (key == QLatin1String("delay"))
            ok = readNumber(value, &behavior.delayMs);
        else if (key == QLatin1String("hang"))
            behavior.hang = true;
        else if (key == QLatin1String("cut"))
            ok = readNumber(value, &behavior.cutAfterEvents);
        else if (key == QLatin1String("interval"))
            ok = readNumber(value, &behavior.streamIntervalMs);
        else if (key == QLatin1String("nousage"))
            behavior.omitUsage = true;
        else if (key == QLatin1String("malformed"))
            behavior.malformedBody = true;
        else if (key == QLatin1String("retry_after"))
            behavior.retryAfter = value.toString();
        else if (key == QLatin1String("message"))
            behavior.errorMessage = value.toString();
        else if (key == QLatin1String("type"))
            behavior.errorType = value.toString();
        else if (key == QLatin1String("code"))
            behavior.errorCode = value.toString();
        else if (key == QLatin1String("text"))
            behavior.text = value.toString();
        else if (key == QLatin1String("cache_read"))
            ok = readNumber(value, &behavior.cacheReadTokens);
        else if (key == QLatin1String("cache_write"))
            ok = readNumber(value, &behavior.cacheWriteTokens);
        else if (key == QLatin1String("thoughts"))
            ok = readNumber(value, &behavior.thoughtsTokens);
        else if (key == QLatin1String("stream_error"))
            behavior.streamError = value.isEmpty() ? QString(kDefaultStreamError) : value.toString();
        else if (key == QLatin1String("stream_error_after"))
            ok = readNumber(value, &behavior.streamErrorAfter);
        else
            ok = false;
        if (!ok) {
            if (error)
                *error = QStringLiteral("fake-upstream: bad option '") + option.toString()
                    + QStringLiteral("' in model '") + model.toString() + QStringLiteral("'");
            return std::nullopt;
        }
    }
    return behavior;
}

FakeBehavior FakeBehavior::fromSpec(QStringView spec)
{
    QString error;
    const std::optional<FakeBehavior> behavior = fromModelSpec(QString(QStringLiteral("fake:") + spec), &error);
    if (!behavior)
        qFatal("FakeBehavior::fromSpec: %s", qPrintable(error));
    return *behavior;
}

} // namespace gw::test
