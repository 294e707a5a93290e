#include "tokenestimator.h"

#include <array>

namespace gw {

namespace {

enum Class : quint8 { Other, Lower, Upper, Digit, Continuation };

struct Tables
{
    std::array<quint8, 256> weight{};
    std::array<quint8, 256> cls{};
};

// Built at compile time so that the per-byte work is two table loads.
constexpr Tables makeTables()
{
    Tables t;
    for (int b = 0; b < 256; ++b) {
        quint8 w = 7;
        quint8 c = Other;
        if (b >= 'a' && b <= 'z') {
            w = 2;
            c = Lower;
        } else if (b >= 'A' && b <= 'Z') {
            w = 2;
            c = Upper;
        } else if (b >= '0' && b <= '9') {
            w = 4;
            c = Digit;
        } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
            w = 2;
        } else if (b < 0x20 || b == 0x7f) {
            w = 8;
        } else if (b >= 0x80 && b <= 0xbf) {
            w = 0;
            c = Continuation;
        } else if (b >= 0xc0 && b <= 0xdf) {
            w = 8;
        } else if (b >= 0xe0 && b <= 0xef) {
            w = 12;
        } else if (b >= 0xf0) {
            w = 24;
        }
        t.weight[size_t(b)] = w;
        t.cls[size_t(b)] = c;
    }
    return t;
}

constexpr Tables kTables = makeTables();

// Extra eighths of a token for a change of class between neighbouring bytes.
constexpr quint8 kTransition[4][4] = {
    //             Other Lower Upper Digit
    /* Other */  {0, 0, 0, 0},
    /* Lower */  {0, 0, 8, 6},
    /* Upper */  {0, 0, 0, 6},
    /* Digit */  {0, 6, 6, 0},
};

} // namespace

void TokenEstimator::addText(QByteArrayView utf8)
{
    const auto *p = reinterpret_cast<const quint8 *>(utf8.data());
    const qsizetype n = utf8.size();
    qint64 eighths = 0;
    qint64 continuation = 0;
    quint8 last = m_lastClass;
    for (qsizetype i = 0; i < n; ++i) {
        const quint8 c = kTables.cls[p[i]];
        if (c == Continuation) {
            ++continuation;
            continue;
        }
        eighths += kTables.weight[p[i]] + kTransition[last][c];
        last = c;
    }
    m_lastClass = last;
    m_eighths += eighths;
    m_bytes += n;
    m_characters += n - continuation;
}

void TokenEstimator::merge(const TokenEstimator &other)
{
    m_eighths += other.m_eighths;
    m_bytes += other.m_bytes;
    m_characters += other.m_characters;
    m_exactTokens += other.m_exactTokens;
    m_messages += other.m_messages;
    m_images += other.m_images;
}

qint64 TokenEstimator::tokens() const
{
    qint64 total = textTokens() + m_exactTokens + qint64(m_messages) * PerMessageTokens
                   + qint64(m_images) * PerImageTokens;
    if (m_messages > 0)
        total += ReplyPrimingTokens;
    return total;
}

qint64 TokenEstimator::estimate(QByteArrayView utf8)
{
    TokenEstimator e;
    e.addText(utf8);
    return e.textTokens();
}

} // namespace gw
