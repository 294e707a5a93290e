#pragma once

#include <QByteArrayView>

#include <optional>

namespace gw {

// What the gateway bills from an images/generations answer: how many images
// its `data` holds and, from the models that bill images in tokens, the
// tokens its `usage` reports. Read in one pass that skips the images
// themselves (base64 answers run to megabytes), never building a document
// on the HTTP thread.
struct OpenAiImagesAnswer
{
    qsizetype images = 0;
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;

    // Nullopt when `json` is not a JSON object with a `data` array.
    static std::optional<OpenAiImagesAnswer> read(QByteArrayView json);
};

} // namespace gw
