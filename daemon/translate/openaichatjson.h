#pragma once

#include "chatir.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace gw {

// Pieces of OpenAI's chat shape that the codec, its stream decoder and its
// stream encoder all write or read.
class OpenAiChatJson
{
public:
    // prompt_tokens is the whole prompt (cached included), completion_tokens
    // the whole output (reasoning included), as in the IR. Counts that are
    // missing or not numbers read as 0: usage is informative, never refused.
    static ir::Usage usageFromJson(const QJsonObject &usage);
    static QJsonObject usageToJson(const ir::Usage &usage);

    // function.arguments is a JSON string holding a JSON object; the IR keeps
    // it as compact JSON text. Text that is not JSON (a model cut short) is
    // kept as it is: the encoder that needs an object refuses it.
    static QByteArray argumentsFromString(const QString &arguments);

    static QString newCompletionId();
};

} // namespace gw
