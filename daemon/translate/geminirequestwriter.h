#pragma once

#include "chatcodec.h"

namespace gw {

// The IR as a GenerateContentRequest for a Gemini upstream. No model and no
// stream flag in the body: both go in the URL (the relay builds it).
class GeminiRequestWriter
{
public:
    static std::optional<QByteArray> write(const ir::ChatRequest &request, const QString &upstreamModel,
                                           ChatCodec::Error *error);
};

} // namespace gw
