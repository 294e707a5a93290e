#pragma once

// Internal to daemon/api/openai: include it from .cpp files only, so that
// simdjson's hundred thousand lines stay out of every other translation unit.

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#include <simdjson.h>
#pragma GCC diagnostic pop

#include "jsonobjectlayout.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <string_view>

namespace gw {

class TokenEstimator;

namespace sj = simdjson;
namespace od = simdjson::ondemand;

// What every parser in this folder shares: a padded copy of the input for
// simdjson, a strict validator that needs no recursion, and the small byte
// scans that turn simdjson's token pointers into member spans.
class JsonScan
{
public:
    // Requests nested deeper than this are refused. simdjson's On-Demand API
    // does not check depth itself (it merely assumes less than the parser's
    // maximum), and nothing OpenAI accepts comes close.
    static constexpr int MaxDepth = 256;

    // One parse. Inputs up to ThreadLocalBytes reuse a per-thread parser and
    // buffer (no allocation once warm); larger ones get their own, freed
    // afterwards, so that one huge body does not pin a huge parser to an HTTP
    // thread for good. A session opened inside another uses the thread's
    // second parser; deeper ones get their own.
    class Session
    {
    public:
        static constexpr qsizetype ThreadLocalBytes = 512 * 1024;

        explicit Session(QByteArrayView json);
        ~Session();
        Session(const Session &) = delete;
        Session &operator=(const Session &) = delete;

        sj::error_code start(od::document *doc);
        const char *data() const { return m_data; }
        qsizetype size() const { return m_size; }
        QByteArrayView view() const { return {m_data, m_size}; }
        qsizetype offsetOf(const char *p) const { return p - m_data; }

    private:
        struct Owned;
        std::unique_ptr<Owned> m_owned;
        od::parser *m_parser = nullptr;
        char *m_data = nullptr;
        qsizetype m_size = 0;
        size_t m_capacity = 0;
        void *m_shared = nullptr; // the thread's parser state this session uses, if any
    };

    // Reads the whole value so that every byte of it is checked (structure,
    // escapes, literals, number grammar), which On-Demand would otherwise
    // skip unchecked. With an estimator, the strings met are measured as
    // prompt text, except inside members that carry media (see .cpp).
    static sj::error_code validate(od::value value, int depthBudget, TokenEstimator *estimator = nullptr);

    // Builds a layout of the object `doc` holds, handing every member to
    // `onMember(key, value, index)`, which returns an error code. A value the
    // callback leaves unread is skipped unchecked: strict callers validate.
    // More than `maxMembers` members is sj::CAPACITY.
    template<typename OnMember>
    static sj::error_code scanObject(Session &session, od::document &doc, JsonObjectLayout *layout,
                                     qsizetype maxMembers, OnMember &&onMember);

    static bool isNumberToken(std::string_view token);
    static std::string_view trimToken(std::string_view token);
    enum class IntegerStatus { Ok, NotInteger, OutOfRange };
    static IntegerStatus integerToken(std::string_view token, qint64 *out);

    // "a string", "an integer", "a decimal number", ... as OpenAI's errors say
    static QString typeName(od::value &value);
    static QString describe(sj::error_code error);
    static QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
    static QByteArrayView bytes(std::string_view s) { return {s.data(), qsizetype(s.size())}; }

    static bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
    static qsizetype skipSpace(QByteArrayView s, qsizetype from);
    static qsizetype skipSpaceBack(QByteArrayView s, qsizetype end);   // returns the new end
    static qsizetype stringEnd(QByteArrayView s, qsizetype openQuote); // one past the closing quote

    // Completes the spans the scan could only start: key ends and value ends.
    static bool finishLayout(QByteArrayView source, JsonObjectLayout *layout);
};

template<typename OnMember>
sj::error_code JsonScan::scanObject(Session &session, od::document &doc, JsonObjectLayout *layout,
                                    qsizetype maxMembers, OnMember &&onMember)
{
    od::object object;
    if (const auto e = doc.get_object().get(object))
        return e;
    layout->openBrace = skipSpace(session.view(), 0);
    for (auto result : object) {
        od::field field;
        if (const auto e = std::move(result).get(field))
            return e;
        if (layout->members.size() >= maxMembers)
            return sj::CAPACITY;
        JsonObjectLayout::Member member;
        const char *rawKey = field.key().raw();
        member.keyBegin = session.offsetOf(rawKey) - 1;
        std::string_view key;
        if (const auto e = field.unescaped_key().get(key))
            return e;
        od::value value = field.value();
        member.valueBegin = session.offsetOf(value.raw_json_token().data());
        // The raw key runs up to the colon; a backslash in it means the name
        // must be compared unescaped ("mod\u0065l" is "model" to the upstream).
        member.escapedKey = std::string_view(rawKey, size_t(member.valueBegin - member.keyBegin)).find('\\')
                            != std::string_view::npos;
        const int index = int(layout->members.size());
        layout->members.append(member);
        if (const auto e = onMember(key, value, index))
            return e;
    }
    // A value after the object (a second document, stray brackets) is an
    // error: the upstream would refuse the body or read something else.
    const char *rest = nullptr;
    if (!doc.current_location().get(rest))
        return sj::TAPE_ERROR;
    return finishLayout(session.view(), layout) ? sj::SUCCESS : sj::TAPE_ERROR;
}

} // namespace gw
