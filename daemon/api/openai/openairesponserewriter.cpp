#include "openairesponserewriter.h"

#include "http/sseevent.h"
#include "jsonbodyeditor.h"
#include "jsonobjectlayout.h"
#include "openaistreamassembler.h"

#include <cstring>

namespace gw {

namespace {

// Whether the top-level model of `json` (laid out as `layout`) needs
// rewriting to `quoted`: not when there is none, nor when the only one
// already says `quoted`.
bool modelNeedsRewrite(QByteArrayView json, const JsonObjectLayout &layout, QByteArrayView quoted)
{
    const int index = layout.lastIndexOf(json, "model");
    if (index < 0)
        return false;
    bool duplicated = false;
    for (int i = 0; i < index && !duplicated; ++i)
        duplicated = layout.keyEquals(json, i, "model");
    return duplicated || layout.rawValue(json, index) != quoted;
}

bool isUsageOnly(QByteArrayView json, const JsonObjectLayout &layout)
{
    const int usage = layout.lastIndexOf(json, "usage");
    if (usage < 0 || !layout.rawValue(json, usage).startsWith('{'))
        return false;
    const int choices = layout.lastIndexOf(json, "choices");
    if (choices < 0)
        return true;
    const QByteArrayView raw = layout.rawValue(json, choices);
    return raw.startsWith('[') && raw.sliced(1).trimmed() == "]";
}

bool hasNullUsage(QByteArrayView json, const JsonObjectLayout &layout)
{
    const int index = layout.lastIndexOf(json, "usage");
    return index >= 0 && layout.rawValue(json, index) == "null";
}

} // namespace

bool OpenAiResponseRewriter::rewriteModel(QByteArrayView json, QStringView publicModel, QByteArray *out)
{
    // Most chunks of a long stream are small; a quick look spares the parse
    // for data that cannot hold an unescaped "model" key. An escaped one
    // ("mod\u0065l") still needs the parse, hence the backslash test.
    if (!json.contains("model") && !json.contains('\\'))
        return false;
    const std::optional<JsonObjectLayout> layout = JsonObjectLayout::scan(json, false);
    return layout && rewriteModel(json, *layout, publicModel, out);
}

bool OpenAiResponseRewriter::rewriteModel(QByteArrayView json, const JsonObjectLayout &layout, QStringView publicModel,
                                          QByteArray *out)
{
    if (layout.lastIndexOf(json, "model") < 0)
        return false;
    const QByteArray quoted = JsonBodyEditor::quote(publicModel);
    if (!modelNeedsRewrite(json, layout, quoted))
        return false;
    JsonBodyEditor editor(json, layout);
    editor.setRaw("model", quoted);
    *out = editor.result();
    return true;
}

OpenAiResponseRewriter::ChunkEdit OpenAiResponseRewriter::editChunk(const QByteArray &data, QByteArrayView quotedModel,
                                                                    bool callerWithoutUsage, QByteArray *out)
{
    const bool mentionsUsage = data.contains("usage");
    const bool mentionsModel = data.contains("model");
    const bool escapes = data.contains('\\');
    if (!mentionsUsage && !mentionsModel && !escapes)
        return ChunkEdit::Keep; // nothing any of the three would look at
    // isUsageOnlyChunk() scans the trimmed data, the others the data as it
    // is; one layout serves all three when the two are the same bytes.
    if (data.size() != QByteArrayView(data).trimmed().size()) {
        if (callerWithoutUsage && OpenAiStreamAssembler::isUsageOnlyChunk(data))
            return ChunkEdit::Drop;
        QByteArray edited = data;
        if (mentionsModel || escapes) {
            if (const std::optional<JsonObjectLayout> layout = JsonObjectLayout::scan(data, false);
                layout && modelNeedsRewrite(data, *layout, quotedModel)) {
                JsonBodyEditor editor(data, *layout);
                editor.setRaw("model", quotedModel);
                edited = editor.result();
            }
        }
        if (callerWithoutUsage)
            edited = removeNullUsage(edited);
        if (edited.constData() == data.constData())
            return ChunkEdit::Keep;
        *out = std::move(edited);
        return ChunkEdit::Edited;
    }
    const std::optional<JsonObjectLayout> layout = JsonObjectLayout::scan(data, false);
    if (!layout)
        return ChunkEdit::Keep; // not a JSON object: none of them changes anything
    return editChunk(data, *layout, quotedModel, callerWithoutUsage, out);
}

OpenAiResponseRewriter::ChunkEdit OpenAiResponseRewriter::editChunk(const QByteArray &data, const JsonObjectLayout &layout,
                                                                    QByteArrayView quotedModel, bool callerWithoutUsage,
                                                                    QByteArray *out)
{
    // The layout already holds every key: comparing them is cheaper than
    // searching the bytes first.
    if (callerWithoutUsage && isUsageOnly(data, layout))
        return ChunkEdit::Drop;
    const bool model = modelNeedsRewrite(data, layout, quotedModel);
    const bool usage = callerWithoutUsage && hasNullUsage(data, layout);
    if (!model && !usage)
        return ChunkEdit::Keep;
    if (model && !usage) {
        // Nearly every chunk of a stream: one "model" to replace, spliced
        // in one allocation.
        const int index = layout.lastIndexOf(data, "model");
        bool duplicated = false;
        for (int i = 0; i < index && !duplicated; ++i)
            duplicated = layout.keyEquals(data, i, "model");
        if (!duplicated) {
            const JsonObjectLayout::Member &m = layout.members.at(index);
            const qsizetype tail = data.size() - m.valueEnd;
            QByteArray spliced(m.valueBegin + quotedModel.size() + tail, Qt::Uninitialized);
            char *to = spliced.data();
            memcpy(to, data.constData(), size_t(m.valueBegin));
            memcpy(to + m.valueBegin, quotedModel.data(), size_t(quotedModel.size()));
            memcpy(to + m.valueBegin + quotedModel.size(), data.constData() + m.valueEnd, size_t(tail));
            *out = std::move(spliced);
            return ChunkEdit::Edited;
        }
    }
    // The model replaced and a null usage removed in one editor give the
    // bytes the two edits give one after the other: they touch different
    // members, and a member's removal takes the same separator either way.
    JsonBodyEditor editor(data, layout);
    if (model)
        editor.setRaw("model", quotedModel);
    if (usage)
        editor.remove("usage");
    *out = editor.result();
    return ChunkEdit::Edited;
}

QByteArray OpenAiResponseRewriter::replaceModel(const QByteArray &json, QStringView publicModel)
{
    QByteArray out;
    return rewriteModel(json, publicModel, &out) ? out : json;
}

QByteArray OpenAiResponseRewriter::removeNullUsage(const QByteArray &json)
{
    if (!json.contains("usage") && !json.contains('\\'))
        return json;
    const std::optional<JsonObjectLayout> layout = JsonObjectLayout::scan(json, false);
    if (!layout)
        return json;
    const int index = layout->lastIndexOf(json, "usage");
    if (index < 0 || layout->rawValue(json, index) != "null")
        return json;
    JsonBodyEditor editor(json, *layout);
    editor.remove("usage");
    return editor.result();
}

bool OpenAiResponseRewriter::rewriteEvent(const SseEventParser::Event &event, QStringView publicModel,
                                          QByteArray *rawOut)
{
    if (!event.hasData)
        return false;
    QByteArray data;
    if (!rewriteModel(event.data, publicModel, &data))
        return false;
    if (event.dataLines == 1 && event.dataOffset >= 0) {
        const QByteArrayView raw = event.raw;
        const QByteArrayView tail = raw.sliced(event.dataOffset + event.data.size());
        QByteArray out;
        out.reserve(event.dataOffset + data.size() + tail.size());
        out.append(raw.first(event.dataOffset));
        out.append(data);
        out.append(tail);
        *rawOut = std::move(out);
        return true;
    }
    QByteArray out;
    if (event.hasId) {
        out += "id: ";
        out += event.id;
        out += '\n';
    }
    if (event.retry) {
        out += "retry: ";
        out += QByteArray::number(*event.retry);
        out += '\n';
    }
    out += SseEvent::format(data, event.event);
    *rawOut = std::move(out);
    return true;
}

} // namespace gw
