#include "anthropicchatjson.h"

#include <QJsonDocument>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gw {

namespace {

std::optional<qint64> count(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    return std::max<qint64>(0, value.toInteger(qint64(value.toDouble())));
}

} // namespace

void AnthropicChatJson::UsageFields::merge(const QJsonObject &usage)
{
    if (auto v = count(usage.value("input_tokens"_L1)))
        input = v;
    if (auto v = count(usage.value("cache_read_input_tokens"_L1)))
        cacheRead = v;
    if (auto v = count(usage.value("cache_creation_input_tokens"_L1)))
        cacheWrite = v;
    if (auto v = count(usage.value("output_tokens"_L1)))
        output = v;
}

ir::Usage AnthropicChatJson::UsageFields::toIr() const
{
    ir::Usage out;
    out.present = any();
    out.cacheReadTokens = cacheRead.value_or(0);
    out.cacheWriteTokens = cacheWrite.value_or(0);
    out.inputTokens = input.value_or(0) + out.cacheReadTokens + out.cacheWriteTokens;
    out.outputTokens = output.value_or(0);
    return out;
}

ir::Usage AnthropicChatJson::usageFromJson(const QJsonObject &usage)
{
    UsageFields fields;
    fields.merge(usage);
    ir::Usage out = fields.toIr();
    out.present = true;
    return out;
}

QJsonObject AnthropicChatJson::usageToJson(const ir::Usage &usage)
{
    const qint64 uncached = std::max<qint64>(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
    return QJsonObject{
        {u"input_tokens"_s, uncached},
        {u"cache_creation_input_tokens"_s, usage.cacheWriteTokens},
        {u"cache_read_input_tokens"_s, usage.cacheReadTokens},
        {u"output_tokens"_s, usage.outputTokens},
    };
}

QByteArray AnthropicChatJson::argumentsFromInput(const QJsonObject &input)
{
    return QJsonDocument(input).toJson(QJsonDocument::Compact);
}

std::optional<QJsonObject> AnthropicChatJson::inputFromArguments(const QByteArray &arguments)
{
    if (arguments.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(arguments, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QString AnthropicChatJson::newMessageId()
{
    return "msg_"_L1 + QUuid::createUuid().toString(QUuid::Id128);
}

} // namespace gw
