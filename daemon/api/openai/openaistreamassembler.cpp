#include "openaistreamassembler.h"

#include "jsonobjectlayout.h"
#include "jsonscan.h"

#include <QVarLengthArray>

namespace gw {

namespace {

// Bounds the layout a hostile upstream's chunk can make us build.
constexpr qsizetype kMaxChunkMembers = 1 << 16;

struct ToolDelta
{
    qint64 index = 0;
    std::string_view id;
    std::string_view type;
    std::string_view name;
    std::string_view arguments;
};

// One choice of one chunk. Its members may come in any order (index after
// delta), so the strings are collected first (they stay valid in simdjson's
// string buffer until the parse ends) and applied once the choice is read.
struct ChoiceDelta
{
    qint64 index = -1;
    std::string_view content;
    std::string_view reasoning;
    std::string_view finishReason;
    QVarLengthArray<ToolDelta, 2> tools;
};

qsizetype utf8Cut(QByteArrayView s, qsizetype max)
{
    if (max >= s.size())
        return s.size();
    qsizetype at = std::max<qsizetype>(max, 0);
    while (at > 0 && (uchar(s[at]) & 0xc0) == 0x80)
        --at;
    return at;
}

qint64 codePoints(std::string_view s)
{
    qint64 n = 0;
    for (const char c : s)
        n += (uchar(c) & 0xc0) != 0x80;
    return n;
}

// Calls `onField(key, value)` for each member of `value` when it is an object.
template<typename OnField>
sj::error_code forEachField(od::value &value, OnField &&onField)
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
        od::value child = field.value();
        if (const auto e = onField(key, child))
            return e;
    }
    return sj::SUCCESS;
}

template<typename OnElement>
sj::error_code forEachElement(od::value &value, OnElement &&onElement)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    if (type != od::json_type::array)
        return sj::SUCCESS;
    od::array array;
    if (const auto e = value.get_array().get(array))
        return e;
    for (auto result : array) {
        od::value element;
        if (const auto e = std::move(result).get(element))
            return e;
        if (const auto e = onElement(element))
            return e;
    }
    return sj::SUCCESS;
}

// Strings only; null and other types leave `out` as it was.
sj::error_code readString(od::value &value, std::string_view *out)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    if (type != od::json_type::string)
        return sj::SUCCESS;
    return value.get_string().get(*out);
}

sj::error_code readIndex(od::value &value, qint64 *out)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    qint64 n = 0;
    if (type == od::json_type::number && JsonScan::integerToken(value.raw_json_token(), &n) == JsonScan::IntegerStatus::Ok
        && n >= 0 && n < (1 << 20))
        *out = n;
    return sj::SUCCESS;
}

sj::error_code readToolDelta(od::value &value, ToolDelta *tool)
{
    return forEachField(value, [tool](std::string_view key, od::value &child) -> sj::error_code {
        if (key == "index")
            return readIndex(child, &tool->index);
        if (key == "id")
            return readString(child, &tool->id);
        if (key == "type")
            return readString(child, &tool->type);
        if (key == "function") {
            return forEachField(child, [tool](std::string_view fkey, od::value &fvalue) -> sj::error_code {
                if (fkey == "name")
                    return readString(fvalue, &tool->name);
                if (fkey == "arguments")
                    return readString(fvalue, &tool->arguments);
                return sj::SUCCESS;
            });
        }
        return sj::SUCCESS;
    });
}

sj::error_code readChoice(od::value &value, ChoiceDelta *choice)
{
    return forEachField(value, [choice](std::string_view key, od::value &child) -> sj::error_code {
        if (key == "index")
            return readIndex(child, &choice->index);
        if (key == "finish_reason")
            return readString(child, &choice->finishReason);
        if (key != "delta")
            return sj::SUCCESS;
        return forEachField(child, [choice](std::string_view dkey, od::value &dvalue) -> sj::error_code {
            if (dkey == "content")
                return readString(dvalue, &choice->content);
            // DeepSeek and vLLM say reasoning_content, OpenRouter reasoning
            if (dkey == "reasoning_content" || dkey == "reasoning")
                return readString(dvalue, &choice->reasoning);
            if (dkey == "tool_calls") {
                return forEachElement(dvalue, [choice](od::value &element) -> sj::error_code {
                    ToolDelta tool;
                    tool.index = choice->tools.size();
                    if (const auto e = readToolDelta(element, &tool))
                        return e;
                    choice->tools.append(tool);
                    return sj::SUCCESS;
                });
            }
            return sj::SUCCESS;
        });
    });
}

sj::error_code readErrorMessage(od::value &value, QString *out)
{
    od::json_type type;
    if (const auto e = value.type().get(type))
        return e;
    std::string_view message;
    if (type == od::json_type::string) {
        if (const auto e = value.get_string().get(message))
            return e;
    } else if (type == od::json_type::object) {
        const auto e = forEachField(value, [&message](std::string_view key, od::value &child) -> sj::error_code {
            return key == "message" ? readString(child, &message) : sj::SUCCESS;
        });
        if (e)
            return e;
    } else {
        return sj::SUCCESS;
    }
    *out = message.empty() ? QStringLiteral("error") : JsonScan::fromUtf8(message);
    return sj::SUCCESS;
}

} // namespace

OpenAiStreamAssembler::OpenAiStreamAssembler(qsizetype retainBytes)
    : m_retainBytes(std::max<qsizetype>(retainBytes, 0))
{
}

OpenAiStreamAssembler::ChunkKind OpenAiStreamAssembler::add(QByteArrayView data)
{
    return add(data, nullptr);
}

OpenAiStreamAssembler::ChunkKind OpenAiStreamAssembler::add(QByteArrayView data, std::optional<JsonObjectLayout> *layoutOut)
{
    const QByteArrayView trimmed = data.trimmed();
    if (trimmed == "[DONE]") {
        m_sawDone = true;
        return ChunkKind::Done;
    }
    JsonScan::Session session(trimmed);
    od::document doc;
    if (session.start(&doc)) {
        ++m_invalid;
        return ChunkKind::Invalid;
    }
    // The members are read while their spans are laid out: the relay's
    // model rewrite then edits the chunk from this one parse.
    JsonObjectLayout layout;
    layout.members.reserve(16);
    QVarLengthArray<ChoiceDelta, 1> choices;
    std::string_view id;
    std::string_view model;
    bool readAny = false;
    const sj::error_code e = JsonScan::scanObject(
        session, doc, &layout, kMaxChunkMembers, [&](std::string_view key, od::value &value, int) -> sj::error_code {
            readAny = true;
            if (key == "id")
                return readString(value, &id);
            if (key == "model")
                return readString(value, &model);
            if (key == "choices") {
                return forEachElement(value, [&choices](od::value &element) -> sj::error_code {
                    ChoiceDelta choice;
                    if (const auto ce = readChoice(element, &choice))
                        return ce;
                    if (choice.index < 0)
                        choice.index = choices.size();
                    choices.append(std::move(choice));
                    return sj::SUCCESS;
                });
            }
            if (key == "usage") {
                od::json_type type;
                if (const auto te = value.type().get(type))
                    return te;
                if (type != od::json_type::object)
                    return sj::SUCCESS;
                od::object usage;
                std::string_view raw;
                if (const auto ue = value.get_object().get(usage))
                    return ue;
                if (const auto re = usage.raw_json().get(raw))
                    return re;
                if (auto read = OpenAiUsage::fromJson(JsonScan::bytes(raw)))
                    m_usage = read;
                return sj::SUCCESS;
            }
            if (key == "error")
                return readErrorMessage(value, &m_error);
            return sj::SUCCESS;
        });
    if (e && !readAny) {
        ++m_invalid; // not an object at all
        return ChunkKind::Invalid;
    }
    if (!e && layoutOut && trimmed.size() == data.size())
        *layoutOut = std::move(layout);
    if (e) {
        // What was read before the fault still counts: it reached the caller.
        ++m_invalid;
    } else {
        ++m_chunks;
    }
    if (m_id.isEmpty() && !id.empty())
        m_id = JsonScan::fromUtf8(id);
    if (m_model.isEmpty() && !model.empty())
        m_model = JsonScan::fromUtf8(model);

    for (const ChoiceDelta &choice : choices) {
        const QByteArrayView content = JsonScan::bytes(choice.content);
        const QByteArrayView reasoning = JsonScan::bytes(choice.reasoning);
        m_estimate.addText(content);
        m_estimate.addText(reasoning);
        m_deliveredChars += codePoints(choice.content);
        for (const ToolDelta &tool : choice.tools) {
            m_estimate.addText(JsonScan::bytes(tool.name));
            m_estimate.addText(JsonScan::bytes(tool.arguments));
        }
        if (choice.index != 0)
            continue;
        retain(&m_content, content);
        retain(&m_reasoning, reasoning);
        if (!choice.finishReason.empty())
            m_finishReason = JsonScan::bytes(choice.finishReason).toByteArray();
        for (const ToolDelta &tool : choice.tools) {
            ToolCall *call = toolCall(int(tool.index));
            if (!call) {
                m_truncated = true;
                continue;
            }
            if (!tool.id.empty())
                call->id = JsonScan::bytes(tool.id).toByteArray();
            if (!tool.type.empty())
                call->type = JsonScan::bytes(tool.type).toByteArray();
            retain(&call->name, JsonScan::bytes(tool.name));
            retain(&call->arguments, JsonScan::bytes(tool.arguments));
        }
    }
    return e ? ChunkKind::Invalid : ChunkKind::Chunk;
}

bool OpenAiStreamAssembler::isUsageOnlyChunk(QByteArrayView data)
{
    if (!data.contains("usage"))
        return false;
    const QByteArrayView json = data.trimmed();
    const std::optional<JsonObjectLayout> layout = JsonObjectLayout::scan(json, false);
    if (!layout)
        return false;
    const int usage = layout->lastIndexOf(json, "usage");
    if (usage < 0 || !layout->rawValue(json, usage).startsWith('{'))
        return false;
    const int choices = layout->lastIndexOf(json, "choices");
    if (choices < 0)
        return true;
    const QByteArrayView raw = layout->rawValue(json, choices);
    return raw.startsWith('[') && raw.sliced(1).trimmed() == "]";
}

void OpenAiStreamAssembler::retain(QByteArray *into, QByteArrayView piece)
{
    if (piece.isEmpty())
        return;
    const qsizetype room = m_retainBytes - into->size();
    if (piece.size() <= room) {
        into->append(piece);
        return;
    }
    m_truncated = true;
    if (room > 0)
        into->append(piece.first(utf8Cut(piece, room)));
}

OpenAiStreamAssembler::ToolCall *OpenAiStreamAssembler::toolCall(int index)
{
    for (ToolCall &call : m_toolCalls) {
        if (call.index == index)
            return &call;
    }
    // Bounds what an upstream sending ever-new indexes can make us keep.
    if (m_toolCalls.size() >= MaxToolCalls)
        return nullptr;
    ToolCall call;
    call.index = index;
    m_toolCalls.append(call);
    return &m_toolCalls.last();
}

OpenAiUsage OpenAiStreamAssembler::usageOrEstimate(qint64 promptTokens) const
{
    if (m_usage)
        return *m_usage;
    OpenAiUsage usage;
    usage.promptTokens = promptTokens;
    usage.completionTokens = m_estimate.tokens();
    usage.totalTokens = usage.promptTokens + usage.completionTokens;
    usage.estimated = true;
    return usage;
}

QByteArray OpenAiStreamAssembler::assembledText(qsizetype maxBytes) const
{
    QByteArray out;
    out.reserve(std::min<qsizetype>(maxBytes, m_content.size() + 64));
    out += m_content;
    for (const ToolCall &call : m_toolCalls) {
        if (out.size() >= maxBytes)
            break;
        if (!out.isEmpty())
            out += '\n';
        out += "[tool_call ";
        out += call.id;
        out += ' ';
        out += call.name;
        out += "] ";
        out += call.arguments;
    }
    out.truncate(utf8Cut(out, maxBytes));
    return out;
}

} // namespace gw
