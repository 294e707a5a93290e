#include "openaichatjson.h"

#include <QJsonDocument>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace gw {

namespace {

qint64 count(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() > 0 ? value.toInteger(qint64(value.toDouble())) : 0;
}

} // namespace

ir::Usage OpenAiChatJson::usageFromJson(const QJsonObject &usage)
{
    ir::Usage out;
    out.present = true;
    out.inputTokens = count(usage.value("prompt_tokens"_L1));
    out.outputTokens = count(usage.value("completion_tokens"_L1));
    out.cacheReadTokens = count(usage.value("prompt_tokens_details"_L1).toObject().value("cached_tokens"_L1));
    out.reasoningTokens = count(usage.value("completion_tokens_details"_L1).toObject().value("reasoning_tokens"_L1));
    return out;
}

QJsonObject OpenAiChatJson::usageToJson(const ir::Usage &usage)
{
    // OpenAI reports no cache writes: they are in prompt_tokens, unpriced apart.
    return QJsonObject{
        {u"prompt_tokens"_s, usage.inputTokens},
        {u"completion_tokens"_s, usage.outputTokens},
        {u"total_tokens"_s, usage.inputTokens + usage.outputTokens},
        {u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, usage.cacheReadTokens}}},
        {u"completion_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, usage.reasoningTokens}}},
    };
}

QByteArray OpenAiChatJson::argumentsFromString(const QString &arguments)
{
    const QByteArray utf8 = arguments.toUtf8();
    if (arguments.trimmed().isEmpty())
        return QByteArrayLiteral("{}");
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return utf8;
    return doc.toJson(QJsonDocument::Compact);
}

QString OpenAiChatJson::newCompletionId()
{
    return "chatcmpl-"_L1 + QUuid::createUuid().toString(QUuid::Id128);
}

} // namespace gw
