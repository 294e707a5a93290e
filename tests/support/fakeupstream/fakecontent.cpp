#include "fakecontent.h"

#include <QJsonArray>

namespace gw::test {

QStringList FakeContent::words(const QString &text)
{
    return text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

int FakeContent::countWords(const QString &text)
{
    return int(words(text).size());
}

QString FakeContent::text(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    const QJsonArray array = content.toArray();
    for (const QJsonValue &part : array) {
        const QJsonValue text = part.toObject().value(QLatin1String("text"));
        if (text.isString())
            parts.append(text.toString());
    }
    return parts.join(QLatin1Char(' '));
}

QJsonObject FakeContent::placeholderArguments(const QJsonObject &schema)
{
    QJsonObject arguments;
    const QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString type = it.value().toObject().value(QLatin1String("type")).toString().toLower();
        if (type == QLatin1String("number") || type == QLatin1String("integer"))
            arguments.insert(it.key(), 1);
        else if (type == QLatin1String("boolean"))
            arguments.insert(it.key(), true);
        else if (type == QLatin1String("array"))
            arguments.insert(it.key(), QJsonArray());
        else if (type == QLatin1String("object"))
            arguments.insert(it.key(), QJsonObject());
        else
            arguments.insert(it.key(), QStringLiteral("fake"));
    }
    return arguments;
}

FakeContent::Cut FakeContent::cut(const QStringList &words, int maxWords, const QStringList &stopSequences)
{
    Cut result;
    result.words = words;
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (maxWords > 0 && i >= maxWords)
            break;
        if (stopSequences.contains(words.at(i))) {
            result.words = words.mid(0, i);
            result.stop = Stop::StopSequence;
            result.stopSequence = words.at(i);
            return result;
        }
    }
    if (maxWords > 0 && words.size() > maxWords) {
        result.words = words.mid(0, maxWords);
        result.stop = Stop::MaxTokens;
    }
    return result;
}

} // namespace gw::test
