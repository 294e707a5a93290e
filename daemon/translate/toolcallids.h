#pragma once

#include "chatir.h"

#include <QList>
#include <QString>

namespace gw {

// Pairs tool results with their calls across families. OpenAI and Anthropic
// pair them by id and give no name with a result; Gemini pairs them by name
// and order and may give no id. A decoder names its results from the calls
// before them; an encoder for an id-pairing family fills in missing ids.
// Synthesised ids are deterministic ("call_0", "toolu_1": the prefix and the
// call's number in the conversation or answer) so that a caller who sends
// them back gets the same pairing again.
class ToolCallIds
{
public:
    static QString synthesize(const QString &prefix, int index);

    // Sets toolName of every ToolResult part that has none from the ToolCall
    // part with its id earlier in the conversation.
    static void nameResults(QList<ir::Message> *messages);

    // Gives every ToolCall part without an id prefix + its number among the
    // conversation's calls, and every ToolResult part without an id the id
    // of the earliest unanswered call with its name (or, with no name, of the
    // earliest unanswered call).
    static void fillMissing(QList<ir::Message> *messages, const QString &prefix);
};

} // namespace gw
