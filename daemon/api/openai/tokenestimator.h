#pragma once

#include <QByteArrayView>
#include <QtGlobal>

namespace gw {

// A cheap, deliberately generous token count for text no tokenizer has seen:
// used to size credit holds before a request goes out (an under-estimate
// there lets a caller overspend) and to bill a stream whose upstream sent no
// usage (then marked as estimated).
//
// The rule, per UTF-8 byte, in eighths of a token:
//   ASCII letter or whitespace       2   (English prose: ~4 bytes a token)
//   ASCII digit                      4   (tokenizers group at most 3 digits)
//   other ASCII (punctuation, ...)   7   (code and JSON split at most symbols)
//   lead byte of a 2-byte character  8   (Greek, Cyrillic, Hebrew, Arabic)
//   lead byte of a 3-byte character  12  (CJK, Indic, Thai)
//   lead byte of a 4-byte character  24  (emoji and their modifiers)
//   continuation byte                0   (weighed with its lead byte)
// plus 8 where a lower-case letter is followed by an upper-case one and 6
// where letters and digits meet: random strings (base64, keys, hashes) split
// at nearly every such change, and would otherwise come out at half.
// tokens = ceil(eighths / 8) + exact tokens (token-array inputs)
//        + 4 per message + 3 to prime the reply when there are messages
//        + 765 per image (a 1024x1024 high-detail image, 4 tiles).
//
// Measured against cl100k_base and o200k_base (gpt-tokenizer 4.0.0) on
// samples of each kind: English prose, code, URLs, numbers and base64 come
// out at 0.92-1.25x the real count, JSON at ~1.55x, camelCase-heavy code up
// to 2.3x; non-Latin scripts at 0.92-1.6x of cl100k and up to 4x of o200k,
// which packs them far tighter. The least generous cases seen were
// symbol-dense one-line code and Hebrew on cl100k (0.92x).
class TokenEstimator
{
public:
    static constexpr int PerMessageTokens = 4;
    static constexpr int ReplyPrimingTokens = 3;
    static constexpr int PerImageTokens = 765;

    void addText(QByteArrayView utf8);
    void addMessage() { ++m_messages; }
    void addImage() { ++m_images; }
    void addTokens(qint64 exact) { m_exactTokens += exact; }
    void merge(const TokenEstimator &other);

    qint64 tokens() const;
    qint64 textTokens() const { return (m_eighths + 7) / 8; }
    qint64 textBytes() const { return m_bytes; }
    qint64 characters() const { return m_characters; }  // code points
    qint64 exactTokens() const { return m_exactTokens; }
    int messages() const { return m_messages; }
    int images() const { return m_images; }

    // The text-only estimate of one piece of text.
    static qint64 estimate(QByteArrayView utf8);

private:
    qint64 m_eighths = 0;
    quint8 m_lastClass = 0;  // so that pieces of a text add up to the whole
    qint64 m_bytes = 0;
    qint64 m_characters = 0;
    qint64 m_exactTokens = 0;
    int m_messages = 0;
    int m_images = 0;
};

} // namespace gw
