#include "toolcallids.h"

#include <QHash>

namespace gw {

QString ToolCallIds::synthesize(const QString &prefix, int index)
{
    return prefix + QString::number(index);
}

void ToolCallIds::nameResults(QList<ir::Message> *messages)
{
    QHash<QString, QString> names;
    for (ir::Message &message : *messages) {
        for (ir::ContentPart &part : message.parts) {
            if (part.kind == ir::ContentPart::Kind::ToolCall && !part.toolCallId.isEmpty())
                names.insert(part.toolCallId, part.toolName);
            else if (part.kind == ir::ContentPart::Kind::ToolResult && part.toolName.isEmpty())
                part.toolName = names.value(part.toolCallId);
        }
    }
}

void ToolCallIds::fillMissing(QList<ir::Message> *messages, const QString &prefix)
{
    struct Call
    {
        QString id;
        QString name;
    };
    QList<Call> unanswered;
    int calls = 0;
    for (ir::Message &message : *messages) {
        for (ir::ContentPart &part : message.parts) {
            if (part.kind == ir::ContentPart::Kind::ToolCall) {
                if (part.toolCallId.isEmpty())
                    part.toolCallId = synthesize(prefix, calls);
                ++calls;
                unanswered.append({part.toolCallId, part.toolName});
            } else if (part.kind == ir::ContentPart::Kind::ToolResult) {
                qsizetype match = -1;
                if (part.toolCallId.isEmpty()) {
                    for (qsizetype i = 0; i < unanswered.size() && match < 0; ++i) {
                        if (part.toolName.isEmpty() || unanswered.at(i).name == part.toolName)
                            match = i;
                    }
                    if (match >= 0)
                        part.toolCallId = unanswered.at(match).id;
                } else {
                    for (qsizetype i = 0; i < unanswered.size() && match < 0; ++i) {
                        if (unanswered.at(i).id == part.toolCallId)
                            match = i;
                    }
                }
                if (match >= 0)
                    unanswered.removeAt(match);
            }
        }
    }
}

} // namespace gw
