#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace gw {

// Where the members of one JSON object sit in its source bytes, so that a
// member can be replaced or removed without re-serializing anything else.
// Offsets are into the bytes the layout was scanned from. Duplicate keys are
// all listed, in source order.
class JsonObjectLayout
{
public:
    struct Member
    {
        qsizetype keyBegin = 0;    // the key's opening quote
        qsizetype keyEnd = 0;      // one past its closing quote
        qsizetype valueBegin = 0;
        qsizetype valueEnd = 0;    // one past the value's last byte
        bool escapedKey = false;   // the raw key has escapes: compare it unescaped
    };

    qsizetype openBrace = -1;
    qsizetype closeBrace = -1;
    QList<Member> members;

    // Scans `json`, which must be exactly one object. With `validate`, every
    // byte is checked as the request inspector does; without, values are
    // skipped as fast as simdjson can (for upstream responses).
    static std::optional<JsonObjectLayout> scan(QByteArrayView json, bool validate, QString *error = nullptr);

    // Whether member `index` is named `key` (UTF-8, compared unescaped).
    bool keyEquals(QByteArrayView source, int index, QByteArrayView key) const;
    // The last member named `key` (the one JSON parsers that keep the last
    // duplicate read), or -1.
    int lastIndexOf(QByteArrayView source, QByteArrayView key) const;
    bool contains(QByteArrayView source, QByteArrayView key) const { return lastIndexOf(source, key) >= 0; }
    QByteArrayView rawValue(QByteArrayView source, int index) const;
    QByteArray unescapedKey(QByteArrayView source, int index) const;
};

} // namespace gw
