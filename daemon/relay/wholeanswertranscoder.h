#pragma once

#include "answertranscoder.h"

namespace gw {

// A transcoder for the operations that never stream (embeddings, images,
// speech): the stream side is empty, and an upstream's refusal reaches the
// caller as the upstream worded it (same family).
class WholeAnswerTranscoder : public AnswerTranscoder
{
public:
    StreamStep feed(QByteArrayView) override { return StreamStep(); }
    StreamStep finish() override { return StreamStep(); }
    bool streamComplete() const override { return false; }
    QByteArray streamTrailer() override { return QByteArray(); }
    QByteArray streamError(const QString &, const QString &) override { return QByteArray(); }
    QByteArray streamedAnswer(qsizetype) const override { return QByteArray(); }
    QByteArray errorBody(int, const QByteArray &upstreamBody, QByteArray *) const override { return upstreamBody; }
};

} // namespace gw
