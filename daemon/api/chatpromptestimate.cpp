#include "chatpromptestimate.h"

#include <QJsonDocument>

namespace gw {

namespace {

void addParts(TokenEstimator &estimate, const QList<ir::ContentPart> &parts)
{
    for (const ir::ContentPart &part : parts) {
        switch (part.kind) {
        case ir::ContentPart::Kind::Image:
            estimate.addImage();
            break;
        case ir::ContentPart::Kind::ToolCall:
            estimate.addText(part.toolName.toUtf8());
            estimate.addText(part.toolArguments);
            break;
        case ir::ContentPart::Kind::Text:
        case ir::ContentPart::Kind::ToolResult:
        case ir::ContentPart::Kind::Thinking:
            estimate.addText(part.text.toUtf8());
            break;
        }
    }
}

} // namespace

TokenEstimator ChatPromptEstimate::of(const ir::ChatRequest &request)
{
    TokenEstimator estimate;
    if (!request.system.isEmpty()) {
        estimate.addMessage();
        addParts(estimate, request.system);
    }
    for (const ir::Message &message : request.messages) {
        estimate.addMessage();
        addParts(estimate, message.parts);
    }
    for (const ir::Tool &tool : request.tools) {
        estimate.addText(tool.name.toUtf8());
        estimate.addText(tool.description.toUtf8());
        estimate.addText(QJsonDocument(tool.parameters).toJson(QJsonDocument::Compact));
    }
    return estimate;
}

} // namespace gw
