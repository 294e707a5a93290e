#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace gw {

// Splits a streamed JSON array (what :streamGenerateContent sends without
// alt=sse: `[{...}\n,\r\n{...}\n]`) into its elements as they complete,
// whatever the chunk boundaries. It only finds where each element ends
// (brackets outside strings); parsing the element is the caller's. Memory is
// bounded like the SSE parser's: an element larger than maxElementBytes is an
// error, after which the scanner refuses input.
class GeminiJsonArrayScanner
{
public:
    static constexpr qsizetype DefaultMaxElementBytes = 4 * 1024 * 1024;

    explicit GeminiJsonArrayScanner(qsizetype maxElementBytes = DefaultMaxElementBytes);

    // The elements `bytes` completes, each as its JSON text.
    QList<QByteArray> feed(QByteArrayView bytes, QString *error = nullptr);
    // The closing bracket was seen (and nothing but white space after it).
    bool closed() const { return m_state == State::Closed; }
    bool hasError() const { return m_state == State::Failed; }
    QString errorString() const { return m_error; }

private:
    enum class State { BeforeArray, BeforeElement, InElement, AfterElement, Closed, Failed };

    bool failWith(const QString &message, QString *error);

    qsizetype m_maxElementBytes;
    State m_state = State::BeforeArray;
    bool m_afterComma = false;
    QByteArray m_element;
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    QString m_error;
};

} // namespace gw
