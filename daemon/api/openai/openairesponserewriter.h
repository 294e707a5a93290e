#pragma once

#include "sseeventparser.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace gw {

class JsonObjectLayout;

// Shows callers the gateway's public model id where an upstream wrote its
// own model name: the top-level "model" of a response body or of one stream
// chunk, replaced in place (JsonBodyEditor), every other byte unchanged.
// Both return false, leaving `out` alone, when there is nothing to change:
// no top-level model, already the public id, or not a JSON object.
class OpenAiResponseRewriter
{
public:
    static bool rewriteModel(QByteArrayView json, QStringView publicModel, QByteArray *out);
    // The same with the layout of `json` already scanned.
    static bool rewriteModel(QByteArrayView json, const JsonObjectLayout &layout, QStringView publicModel, QByteArray *out);
    // The same, returning `json` itself (shared, not copied) when unchanged.
    static QByteArray replaceModel(const QByteArray &json, QStringView publicModel);

    // Drops a top-level "usage": null. Upstreams put it on every chunk once
    // stream_options.include_usage is on; when the gateway turned that on for
    // its own accounting, the caller should see the stream it asked for.
    static QByteArray removeNullUsage(const QByteArray &json);

    // One stream chunk's data as an OpenAI passthrough forwards it, from one
    // scan: Drop for the usage-only chunk (OpenAiStreamAssembler::
    // isUsageOnlyChunk) when `callerWithoutUsage`; otherwise the data with
    // the public model (`quotedModel`, the JSON string literal of it) and,
    // when `callerWithoutUsage`, without a null usage. Edited puts the new
    // data in `out`; Keep means forward `data` as it is. The same as
    // isUsageOnlyChunk(), replaceModel() and removeNullUsage() in turn.
    enum class ChunkEdit { Keep, Edited, Drop };
    static ChunkEdit editChunk(const QByteArray &data, QByteArrayView quotedModel, bool callerWithoutUsage,
                               QByteArray *out);
    // The same for data (no surrounding whitespace) already laid out.
    static ChunkEdit editChunk(const QByteArray &data, const JsonObjectLayout &layout, QByteArrayView quotedModel,
                               bool callerWithoutUsage, QByteArray *out);

    // The same for one SSE event: `rawOut` is the event to forward. A
    // single-line data event keeps every other byte of its raw form; a
    // multi-line one is re-framed (id, retry, event and data lines).
    static bool rewriteEvent(const SseEventParser::Event &event, QStringView publicModel, QByteArray *rawOut);
};

} // namespace gw
