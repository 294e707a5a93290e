#include "openaiimagesanswer.h"

#include "jsonscan.h"

namespace gw {

namespace {

sj::error_code readCount(od::value value, std::optional<qint64> *out)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    qint64 n = 0;
    if (type == od::json_type::number && JsonScan::integerToken(value.raw_json_token(), &n) == JsonScan::IntegerStatus::Ok
        && n >= 0)
        *out = n;
    return sj::SUCCESS;
}

} // namespace

std::optional<OpenAiImagesAnswer> OpenAiImagesAnswer::read(QByteArrayView json)
{
    JsonScan::Session session(json);
    od::document doc;
    od::object object;
    if (session.start(&doc) || doc.get_object().get(object))
        return std::nullopt;
    OpenAiImagesAnswer answer;
    bool sawData = false;
    for (auto result : object) {
        od::field field;
        std::string_view key;
        if (std::move(result).get(field) || field.unescaped_key().get(key))
            return std::nullopt;
        od::value value = field.value();
        if (key == "data") {
            od::array data;
            size_t count = 0;
            if (value.get_array().get(data) || data.count_elements().get(count))
                return std::nullopt;
            answer.images = qsizetype(count);
            sawData = true;
        } else if (key == "usage") {
            od::json_type type;
            if (value.type().get(type))
                return std::nullopt;
            if (type != od::json_type::object)
                continue;
            od::object usage;
            if (value.get_object().get(usage))
                return std::nullopt;
            for (auto member : usage) {
                od::field f;
                std::string_view name;
                if (std::move(member).get(f) || f.unescaped_key().get(name))
                    return std::nullopt;
                sj::error_code e = sj::SUCCESS;
                if (name == "input_tokens")
                    e = readCount(f.value(), &answer.inputTokens);
                else if (name == "output_tokens")
                    e = readCount(f.value(), &answer.outputTokens);
                if (e)
                    return std::nullopt;
            }
        }
    }
    if (!sawData)
        return std::nullopt;
    return answer;
}

} // namespace gw
