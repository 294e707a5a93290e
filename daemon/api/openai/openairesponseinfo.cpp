#include "openairesponseinfo.h"

#include "jsonscan.h"

namespace gw {

namespace {

sj::error_code readString(od::value value, QString *out)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    if (type != od::json_type::string)
        return sj::SUCCESS;
    std::string_view s;
    if (const auto e = value.get_string().get(s))
        return e;
    *out = JsonScan::fromUtf8(s);
    return sj::SUCCESS;
}

sj::error_code readUsage(od::value value, std::optional<OpenAiUsage> *out)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    if (type != od::json_type::object)
        return sj::SUCCESS;  // chunks carry "usage": null until the last
    od::object object;
    if (const auto e = value.get_object().get(object))
        return e;
    std::string_view raw;
    if (const auto e = object.raw_json().get(raw))
        return e;
    *out = OpenAiUsage::fromJson(JsonScan::bytes(raw));
    return sj::SUCCESS;
}

sj::error_code readError(od::value value, QString *out)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    if (type == od::json_type::string)
        return readString(value, out);
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
        if (key == "message") {
            if (const auto e = readString(field.value(), out))
                return e;
        }
    }
    if (out->isEmpty())
        *out = QStringLiteral("error");
    return sj::SUCCESS;
}

} // namespace

std::optional<OpenAiResponseInfo> OpenAiResponseInfo::read(QByteArrayView json)
{
    JsonScan::Session session(json);
    od::document doc;
    od::object object;
    if (session.start(&doc) || doc.get_object().get(object))
        return std::nullopt;
    OpenAiResponseInfo info;
    for (auto result : object) {
        od::field field;
        if (std::move(result).get(field))
            return std::nullopt;
        std::string_view key;
        if (field.unescaped_key().get(key))
            return std::nullopt;
        sj::error_code e = sj::SUCCESS;
        if (key == "id")
            e = readString(field.value(), &info.id);
        else if (key == "model")
            e = readString(field.value(), &info.model);
        else if (key == "object")
            e = readString(field.value(), &info.object);
        else if (key == "usage")
            e = readUsage(field.value(), &info.usage);
        else if (key == "error")
            e = readError(field.value(), &info.errorMessage);
        if (e)
            return std::nullopt;
    }
    return info;
}

} // namespace gw
