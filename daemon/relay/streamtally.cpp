#include "streamtally.h"

namespace gw {

namespace {

qint64 codePoints(const QString &text)
{
    qint64 n = 0;
    for (const QChar c : text) {
        if (!c.isLowSurrogate())
            ++n;
    }
    return n;
}

} // namespace

void StreamTally::mergeUsage(const ir::Usage &usage, bool final)
{
    if (!usage.present)
        return;
    // Counts are cumulative totals, and a family may send some of them early
    // (Anthropic's input in message_start) and the rest at the end: the
    // largest value seen of each is the total.
    m_usage.present = true;
    m_usage.inputTokens = qMax(m_usage.inputTokens, usage.inputTokens);
    m_usage.cacheReadTokens = qMax(m_usage.cacheReadTokens, usage.cacheReadTokens);
    m_usage.cacheWriteTokens = qMax(m_usage.cacheWriteTokens, usage.cacheWriteTokens);
    if (final) {
        m_usage.outputTokens = qMax(m_usage.outputTokens, usage.outputTokens);
        m_usage.reasoningTokens = qMax(m_usage.reasoningTokens, usage.reasoningTokens);
        m_outputReported = true;
    }
}

void StreamTally::retain(QString *into, const QString &piece)
{
    if (m_retained >= m_retainBytes)
        return;
    const QString kept = piece.left(qMax<qsizetype>(0, m_retainBytes - m_retained));
    m_retained += kept.size();
    into->append(kept);
}

void StreamTally::add(const ir::StreamEvent &event)
{
    using Kind = ir::StreamEvent::Kind;
    switch (event.kind) {
    case Kind::Start:
        m_sawStart = true;
        m_answer.id = event.id;
        m_answer.model = event.model;
        m_answer.createdSeconds = event.createdSeconds;
        mergeUsage(event.usage, false);
        break;
    case Kind::BlockStart: {
        ir::ContentPart part;
        part.kind = event.part.kind;
        part.toolCallId = event.part.toolCallId;
        part.toolName = event.part.toolName;
        part.signature = event.part.signature;
        m_partOfBlock.insert(event.index, int(m_answer.content.size()));
        m_answer.content.append(part);
        m_estimate.addText(event.part.toolName.toUtf8());
        break;
    }
    case Kind::TextDelta: {
        m_estimate.addText(event.text.toUtf8());
        const int at = m_partOfBlock.value(event.index, -1);
        if (at >= 0) {
            ir::ContentPart &part = m_answer.content[at];
            if (part.kind == ir::ContentPart::Kind::Text)
                m_deliveredChars += codePoints(event.text);
            retain(&part.text, event.text);
        }
        break;
    }
    case Kind::ArgumentsDelta: {
        m_estimate.addText(event.arguments);
        const int at = m_partOfBlock.value(event.index, -1);
        if (at >= 0 && m_retained < m_retainBytes) {
            const QByteArray kept = event.arguments.left(m_retainBytes - m_retained);
            m_retained += kept.size();
            m_answer.content[at].toolArguments += kept;
        }
        break;
    }
    case Kind::BlockStop:
        break;
    case Kind::Finish:
        m_sawFinish = true;
        m_stopReason = event.stopReason;
        m_answer.stopReason = event.stopReason;
        m_answer.stopSequence = event.stopSequence;
        mergeUsage(event.usage, true);
        break;
    case Kind::Usage:
        mergeUsage(event.usage, true);
        break;
    case Kind::End:
        m_sawEnd = true;
        break;
    case Kind::Error:
        m_error = event.message;
        break;
    }
    m_answer.usage = m_usage;
}

QString StreamTally::stopReasonName(ir::StopReason reason)
{
    switch (reason) {
    case ir::StopReason::EndTurn: return QStringLiteral("end_turn");
    case ir::StopReason::MaxTokens: return QStringLiteral("max_tokens");
    case ir::StopReason::StopSequence: return QStringLiteral("stop_sequence");
    case ir::StopReason::ToolUse: return QStringLiteral("tool_use");
    case ir::StopReason::ContentFilter: return QStringLiteral("content_filter");
    case ir::StopReason::Error: return QStringLiteral("error");
    case ir::StopReason::Unknown: break;
    }
    return QString();
}

void StreamTally::fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const
{
    usage.finishReason = m_sawFinish ? stopReasonName(m_stopReason) : QString();
    usage.deliveredChars = m_deliveredChars;
    const bool inputKnown = m_usage.present && m_usage.inputTokens > 0;
    usage.promptTokens = inputKnown ? m_usage.inputTokens : estimatedPromptTokens;
    usage.cachedTokens = m_usage.cacheReadTokens;
    usage.cacheWriteTokens = m_usage.cacheWriteTokens;
    if (m_outputReported) {
        usage.completionTokens = m_usage.outputTokens;
        usage.reasoningTokens = m_usage.reasoningTokens;
    } else {
        usage.completionTokens = m_estimate.tokens();
    }
    usage.estimated = !inputKnown || !m_outputReported;
}

void StreamTally::fillUsage(UsageRecord &record, const ir::ChatResponse &response, qint64 estimatedPromptTokens)
{
    record.finishReason = stopReasonName(response.stopReason);
    qint64 chars = 0;
    TokenEstimator estimate;
    for (const ir::ContentPart &part : response.content) {
        if (part.kind == ir::ContentPart::Kind::Text)
            chars += codePoints(part.text);
        estimate.addText(part.text.toUtf8());
        estimate.addText(part.toolName.toUtf8());
        estimate.addText(part.toolArguments);
    }
    record.deliveredChars = chars;
    if (response.usage.present) {
        record.promptTokens = response.usage.inputTokens;
        record.completionTokens = response.usage.outputTokens;
        record.cachedTokens = response.usage.cacheReadTokens;
        record.cacheWriteTokens = response.usage.cacheWriteTokens;
        record.reasoningTokens = response.usage.reasoningTokens;
        record.estimated = false;
    } else {
        record.promptTokens = estimatedPromptTokens;
        record.completionTokens = estimate.tokens();
        record.estimated = true;
    }
}

} // namespace gw
