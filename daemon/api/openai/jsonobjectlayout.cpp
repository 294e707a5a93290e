#include "jsonobjectlayout.h"

#include "jsonscan.h"

#include <algorithm>

namespace gw {

namespace {

constexpr qsizetype kMaxValidatedMembers = 4096;
constexpr qsizetype kMaxSkippedMembers = 1 << 20;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

uint hex4(QByteArrayView s, qsizetype at)
{
    uint v = 0;
    for (qsizetype i = at; i < at + 4 && i < s.size(); ++i)
        v = v * 16 + uint(std::max(0, hexValue(s[i])));
    return v;
}

void appendUtf8(QByteArray *out, uint cp)
{
    if (cp < 0x80) {
        out->append(char(cp));
    } else if (cp < 0x800) {
        out->append(char(0xc0 | (cp >> 6)));
        out->append(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out->append(char(0xe0 | (cp >> 12)));
        out->append(char(0x80 | ((cp >> 6) & 0x3f)));
        out->append(char(0x80 | (cp & 0x3f)));
    } else {
        out->append(char(0xf0 | (cp >> 18)));
        out->append(char(0x80 | ((cp >> 12) & 0x3f)));
        out->append(char(0x80 | ((cp >> 6) & 0x3f)));
        out->append(char(0x80 | (cp & 0x3f)));
    }
}

// Keys reach here only after simdjson unescaped them once during the scan,
// so the escapes are known to be well formed.
QByteArray unescape(QByteArrayView body)
{
    QByteArray out;
    out.reserve(body.size());
    for (qsizetype i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c != '\\' || i + 1 >= body.size()) {
            out.append(c);
            continue;
        }
        const char e = body[++i];
        switch (e) {
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'u': {
            uint cp = hex4(body, i + 1);
            i += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < body.size() && body[i + 1] == '\\' && body[i + 2] == 'u') {
                const uint low = hex4(body, i + 3);
                if (low >= 0xdc00 && low < 0xe000) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    i += 6;
                }
            }
            appendUtf8(&out, cp);
            break;
        }
        default: out.append(e); break;  // \" \\ \/
        }
    }
    return out;
}

} // namespace

std::optional<JsonObjectLayout> JsonObjectLayout::scan(QByteArrayView json, bool validate, QString *error)
{
    JsonScan::Session session(json);
    od::document doc;
    JsonObjectLayout layout;
    layout.members.reserve(16); // one allocation for the usual response or chunk
    auto fail = [&](sj::error_code e) -> std::optional<JsonObjectLayout> {
        if (error)
            *error = QStringLiteral("the body is not valid JSON: ") + JsonScan::describe(e);
        return std::nullopt;
    };
    if (const auto e = session.start(&doc))
        return fail(e);
    od::json_type type;
    if (const auto e = doc.type().get(type))
        return fail(e);
    if (type != od::json_type::object) {
        if (error)
            *error = QStringLiteral("the body must be a JSON object");
        return std::nullopt;
    }
    const auto e = JsonScan::scanObject(
        session, doc, &layout, validate ? kMaxValidatedMembers : kMaxSkippedMembers,
        [validate](std::string_view, od::value &value, int) {
            return validate ? JsonScan::validate(value, JsonScan::MaxDepth - 1) : sj::SUCCESS;
        });
    if (e)
        return fail(e);
    return layout;
}

bool JsonObjectLayout::keyEquals(QByteArrayView source, int index, QByteArrayView key) const
{
    const Member &m = members.at(index);
    const QByteArrayView raw = source.sliced(m.keyBegin + 1, m.keyEnd - m.keyBegin - 2);
    if (!m.escapedKey)
        return raw == key;
    return unescape(raw) == key;
}

int JsonObjectLayout::lastIndexOf(QByteArrayView source, QByteArrayView key) const
{
    for (int i = int(members.size()) - 1; i >= 0; --i) {
        if (keyEquals(source, i, key))
            return i;
    }
    return -1;
}

QByteArrayView JsonObjectLayout::rawValue(QByteArrayView source, int index) const
{
    const Member &m = members.at(index);
    return source.sliced(m.valueBegin, m.valueEnd - m.valueBegin);
}

QByteArray JsonObjectLayout::unescapedKey(QByteArrayView source, int index) const
{
    const Member &m = members.at(index);
    const QByteArrayView raw = source.sliced(m.keyBegin + 1, m.keyEnd - m.keyBegin - 2);
    return m.escapedKey ? unescape(raw) : raw.toByteArray();
}

} // namespace gw
