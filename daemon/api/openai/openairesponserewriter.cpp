#include "openairesponserewriter.h"

#include "http/sseevent.h"
#include "jsonbodyeditor.h"
#include "jsonobjectlayout.h"

namespace gw {

bool OpenAiResponseRewriter::rewriteModel(QByteArrayView json, QStringView publicModel, QByteArray *out)
{
    // Most chunks of a long stream are small; a quick look spares the parse
    // for data that cannot hold an unescaped "model" key. An escaped one
    // ("mod\u0065l") still needs the parse, hence the backslash test.
    if (!json.contains("model") && !json.contains('\\'))
        return false;
    const std::optional<JsonObjectLayout> layout = JsonObjectLayout::scan(json, false);
    if (!layout)
        return false;
    const int index = layout->lastIndexOf(json, "model");
    if (index < 0)
        return false;
    const QByteArray quoted = JsonBodyEditor::quote(publicModel);
    bool duplicated = false;
    for (int i = 0; i < index && !duplicated; ++i)
        duplicated = layout->keyEquals(json, i, "model");
    if (!duplicated && layout->rawValue(json, index) == QByteArrayView(quoted))
        return false;
    JsonBodyEditor editor(json, *layout);
    editor.setRaw("model", quoted);
    *out = editor.result();
    return true;
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
