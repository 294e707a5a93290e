#pragma once

#include "api/openai/tokenestimator.h"
#include "translate/chatir.h"
#include "usagerecord.h"

namespace gw {

// Follows a stream as family-neutral events and keeps what the gateway
// records when it ends: the usage the upstream reported (input from its
// start, output from its finish), the stop reason, the characters of text
// delivered, an estimate of everything generated for when no usage came, and
// the answer itself (up to a cap) for payload storage.
class StreamTally
{
public:
    static constexpr qsizetype DefaultRetainBytes = 1024 * 1024;

    explicit StreamTally(qsizetype retainBytes = DefaultRetainBytes) : m_retainBytes(retainBytes) {}

    void add(const ir::StreamEvent &event);

    bool sawStart() const { return m_sawStart; }
    bool sawFinish() const { return m_sawFinish; }
    bool sawEnd() const { return m_sawEnd; }
    QString error() const { return m_error; }
    // Reported output counts: without them the output is estimated.
    bool outputReported() const { return m_outputReported; }
    const ir::Usage &usage() const { return m_usage; }
    ir::StopReason stopReason() const { return m_stopReason; }
    qint64 deliveredChars() const { return m_deliveredChars; }
    const TokenEstimator &estimate() const { return m_estimate; }
    // The answer as one response (for storage in the caller's shape).
    const ir::ChatResponse &answer() const { return m_answer; }

    void fillUsage(UsageRecord &usage, qint64 estimatedPromptTokens) const;
    static QString stopReasonName(ir::StopReason reason);
    // Usage an answer reported, or an estimate from its content.
    static void fillUsage(UsageRecord &record, const ir::ChatResponse &response, qint64 estimatedPromptTokens);

private:
    void mergeUsage(const ir::Usage &usage, bool final);
    void retain(QString *into, const QString &piece);

    qsizetype m_retainBytes;
    qsizetype m_retained = 0;
    ir::Usage m_usage;
    ir::ChatResponse m_answer;
    ir::StopReason m_stopReason = ir::StopReason::Unknown;
    TokenEstimator m_estimate;
    qint64 m_deliveredChars = 0;
    QString m_error;
    QHash<int, int> m_partOfBlock; // IR block index -> position in m_answer.content
    bool m_sawStart = false;
    bool m_sawFinish = false;
    bool m_sawEnd = false;
    bool m_outputReported = false;
};

} // namespace gw
