#pragma once

#include "openairequestview.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace gw {

enum class OpenAiEndpoint {
    ChatCompletions,  // model and messages required; messages measured
    Embeddings,       // model and input required; input measured
    Images,           // images/generations: model and prompt required; n at most 10
    Speech,           // audio/speech: model, input and voice required; input measured and counted
    Other,            // model read when present; nothing required
};

// Validates an OpenAI-style request body in one pass over its bytes and
// reads what the gateway needs (see OpenAiRequestView). The whole body is
// checked, not just the fields read: strict RFC 8259 syntax, valid UTF-8 and
// escapes, at most one value, at most JsonScan::MaxDepth (256) levels and
// 4096 top-level members. Errors read like OpenAI's and name the field at
// fault in `errorParam` ("model", "messages[2].content", ...); a body that
// is not JSON has no param.
class OpenAiRequestInspector
{
public:
    static std::optional<OpenAiRequestView> inspect(QByteArrayView body, OpenAiEndpoint endpoint,
                                                    QString *error, QString *errorParam = nullptr);
    static std::optional<OpenAiRequestView> inspect(QByteArrayView body, QString *error)
    {
        return inspect(body, OpenAiEndpoint::ChatCompletions, error);
    }
};

} // namespace gw
