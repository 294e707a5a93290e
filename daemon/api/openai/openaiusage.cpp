#include "openaiusage.h"

#include "jsonscan.h"
#include "openairesponseinfo.h"

namespace gw {

namespace {

// Upstreams differ in how strictly they type counts (some send 12.0, some
// null); a count that is not a non-negative integer is taken as unknown (0)
// rather than failing the whole record.
qint64 count(od::value value)
{
    od::json_type type;
    if (value.type().get(type) || type != od::json_type::number)
        return 0;
    qint64 n = 0;
    if (JsonScan::integerToken(value.raw_json_token(), &n) == JsonScan::IntegerStatus::Ok && n >= 0)
        return n;
    double d = 0;
    if (!value.get_double().get(d) && d >= 0 && d < 9.0e15)
        return qint64(d);
    return 0;
}

sj::error_code readDetails(od::value value, std::string_view wanted, qint64 *out)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    if (type != od::json_type::object)
        return sj::SUCCESS;
    od::object object;
    if (const auto e = value.get_object().get(object))
        return e;
    for (auto result : object) {
        od::field field;
        if (const auto e = std::move(result).get(field))
            return e;
        std::string_view key;
        if (const auto e = field.unescaped_key().get(key))
            return e;
        if (key == wanted)
            *out = count(field.value());
    }
    return sj::SUCCESS;
}

} // namespace

std::optional<OpenAiUsage> OpenAiUsage::fromJson(QByteArrayView json)
{
    JsonScan::Session session(json);
    od::document doc;
    od::object object;
    if (session.start(&doc) || doc.get_object().get(object))
        return std::nullopt;
    OpenAiUsage usage;
    bool sawTotal = false;
    for (auto result : object) {
        od::field field;
        if (std::move(result).get(field))
            return std::nullopt;
        std::string_view key;
        if (field.unescaped_key().get(key))
            return std::nullopt;
        sj::error_code e = sj::SUCCESS;
        if (key == "prompt_tokens") {
            usage.promptTokens = count(field.value());
        } else if (key == "completion_tokens") {
            usage.completionTokens = count(field.value());
        } else if (key == "total_tokens") {
            usage.totalTokens = count(field.value());
            sawTotal = true;
        } else if (key == "prompt_tokens_details") {
            e = readDetails(field.value(), "cached_tokens", &usage.cachedTokens);
        } else if (key == "completion_tokens_details") {
            e = readDetails(field.value(), "reasoning_tokens", &usage.reasoningTokens);
        }
        if (e)
            return std::nullopt;
    }
    if (!sawTotal)
        usage.totalTokens = usage.promptTokens + usage.completionTokens;
    return usage;
}

std::optional<OpenAiUsage> OpenAiUsage::fromResponse(QByteArrayView body)
{
    const std::optional<OpenAiResponseInfo> info = OpenAiResponseInfo::read(body);
    return info ? info->usage : std::nullopt;
}

} // namespace gw
