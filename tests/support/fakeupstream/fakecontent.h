#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace gw::test {

// The rules every provider's answers share (words, text of a content,
// placeholder tool arguments, where an answer stops), so that a test
// computes the same expectation whichever API it speaks.
class FakeContent
{
public:
    // Whitespace-separated words; runs of whitespace count once.
    static QStringList words(const QString &text);
    static int countWords(const QString &text);
    // A message content as text: a string, or an array of parts or blocks of
    // which those with a "text" string count, joined by single spaces. Images,
    // tool results and function calls carry no words.
    static QString text(const QJsonValue &content);
    // Arguments for a JSON schema's "properties" that satisfy the usual
    // schemas: "fake", 1, true, [] or {} by "type". Gemini spells types in
    // upper case, so the type is compared without case.
    static QJsonObject placeholderArguments(const QJsonObject &schema);

    enum class Stop { End, MaxTokens, StopSequence };
    struct Cut
    {
        QStringList words;
        Stop stop = Stop::End;
        QString stopSequence; // the word that stopped it, with Stop::StopSequence
    };
    // Ends the answer at the first word that equals a stop sequence, or
    // after maxWords words (when > 0), whichever comes first.
    static Cut cut(const QStringList &words, int maxWords, const QStringList &stopSequences);
};

} // namespace gw::test
