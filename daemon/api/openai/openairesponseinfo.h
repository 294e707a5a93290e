#pragma once

#include "openaiusage.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace gw {

// The top-level members of an OpenAI-style response body, or of one stream
// chunk's data, that the gateway records. Values are skipped, not validated:
// the body came from an upstream and is relayed as it is.
struct OpenAiResponseInfo
{
    QString id;
    QString model;
    QString object;                  // "chat.completion", "chat.completion.chunk", "list", ...
    std::optional<OpenAiUsage> usage;
    QString errorMessage;            // set when the body is {"error": {"message": ...}}

    // Nullopt when `json` is not a JSON object. A later duplicate key wins.
    static std::optional<OpenAiResponseInfo> read(QByteArrayView json);
};

} // namespace gw
