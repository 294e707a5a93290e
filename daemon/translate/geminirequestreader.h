#pragma once

#include "chatcodec.h"

#include <QJsonObject>

namespace gw {

// A GenerateContentRequest (the body of :generateContent and
// :streamGenerateContent) into the IR. The model and the stream flag are in
// the URL, not here: the relay sets them.
class GeminiRequestReader
{
public:
    static std::optional<ir::ChatRequest> read(const QJsonObject &body, ChatCodec::Error *error);
};

} // namespace gw
