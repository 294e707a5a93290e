#include "jsonscan.h"

#include "jsonobjectlayout.h"
#include "tokenestimator.h"

#include <QVarLengthArray>

#include <algorithm>
#include <limits>
#include <cstring>

namespace gw {

namespace {

constexpr size_t kMinCapacity = 64 * 1024;

struct ThreadState
{
    od::parser parser;
    std::unique_ptr<char[]> buffer;
    size_t capacity = 0;
    bool busy = false;
};

// Two per thread: a session opened while another is open (a response's
// "usage" object read on its own while the response is being walked) takes
// the second instead of building a parser for one small read.
thread_local ThreadState t_states[2];

ThreadState *freeThreadState()
{
    for (ThreadState &state : t_states) {
        if (!state.busy)
            return &state;
    }
    return nullptr;
}

// Media members: their strings are payload (base64, URLs, file ids) that the
// model does not read as text, so counting them as text would inflate a hold
// by orders of magnitude. An image is priced by its own rule instead.
enum class Media { None, Image, Other };

Media mediaKey(std::string_view key)
{
    if (key == "image_url")
        return Media::Image;
    if (key == "input_audio" || key == "file" || key == "audio")
        return Media::Other;
    return Media::None;
}

struct Frame
{
    od::object_iterator object;
    od::array_iterator array;
    bool isObject = false;
    bool started = false;
    bool count = false;
};

} // namespace

struct JsonScan::Session::Owned
{
    od::parser parser;
    std::unique_ptr<char[]> buffer;
};

JsonScan::Session::Session(QByteArrayView json)
    : m_size(json.size())
{
    const size_t need = size_t(json.size()) + sj::SIMDJSON_PADDING;
    ThreadState *state = json.size() <= ThreadLocalBytes ? freeThreadState() : nullptr;
    if (state) {
        m_shared = state;
        state->busy = true;
        if (state->capacity < need) {
            const size_t capacity = std::max(need, kMinCapacity + sj::SIMDJSON_PADDING);
            state->buffer.reset(new char[capacity]);
            state->capacity = capacity;
        }
        m_parser = &state->parser;
        m_data = state->buffer.get();
        m_capacity = state->capacity;
    } else {
        m_owned = std::make_unique<Owned>();
        m_owned->buffer.reset(new char[need]);
        m_parser = &m_owned->parser;
        m_data = m_owned->buffer.get();
        m_capacity = need;
    }
    if (!json.isEmpty())
        std::memcpy(m_data, json.data(), size_t(json.size()));
    // simdjson reads the padding; zeros keep that read defined.
    std::memset(m_data + json.size(), 0, sj::SIMDJSON_PADDING);
}

JsonScan::Session::~Session()
{
    if (m_shared)
        static_cast<ThreadState *>(m_shared)->busy = false;
}

sj::error_code JsonScan::Session::start(od::document *doc)
{
    // The parser would size itself to each larger input in turn; a floor
    // spares a small pool of reallocations while a thread warms up.
    if (m_parser->capacity() < size_t(m_size)) {
        const size_t capacity = m_shared ? std::max(size_t(m_size), kMinCapacity) : size_t(m_size);
        if (const auto e = m_parser->allocate(capacity))
            return e;
    }
    return m_parser->iterate(m_data, size_t(m_size), m_capacity).get(*doc);
}

sj::error_code JsonScan::validate(od::value root, int depthBudget, TokenEstimator *estimator)
{
    QVarLengthArray<Frame, 32> stack;
    auto enter = [&](od::value &value, bool count) -> sj::error_code {
        od::json_type type;
        if (const auto e = value.type().get(type))
            return e;
        switch (type) {
        case od::json_type::object: {
            if (stack.size() >= depthBudget)
                return sj::DEPTH_ERROR;
            od::object object;
            if (const auto e = value.get_object().get(object))
                return e;
            Frame frame;
            frame.isObject = true;
            frame.count = count;
            if (const auto e = object.begin().get(frame.object))
                return e;
            stack.append(frame);
            return sj::SUCCESS;
        }
        case od::json_type::array: {
            if (stack.size() >= depthBudget)
                return sj::DEPTH_ERROR;
            od::array array;
            if (const auto e = value.get_array().get(array))
                return e;
            Frame frame;
            frame.count = count;
            if (const auto e = array.begin().get(frame.array))
                return e;
            stack.append(frame);
            return sj::SUCCESS;
        }
        case od::json_type::string: {
            std::string_view s;
            if (const auto e = value.get_string().get(s))
                return e;
            if (count)
                estimator->addText(bytes(s));
            return sj::SUCCESS;
        }
        case od::json_type::number:
            // On-Demand parses a number only when asked, and its parse
            // refuses valid JSON such as 1e400; the grammar is what matters.
            return isNumberToken(value.raw_json_token()) ? sj::SUCCESS : sj::NUMBER_ERROR;
        case od::json_type::boolean: {
            bool b = false;
            return value.get_bool().get(b);
        }
        case od::json_type::null: {
            bool isNull = false;
            if (const auto e = value.is_null().get(isNull))
                return e;
            return isNull ? sj::SUCCESS : sj::N_ATOM_ERROR;
        }
        }
        return sj::TAPE_ERROR;
    };

    if (const auto e = enter(root, estimator != nullptr))
        return e;
    while (!stack.isEmpty()) {
        Frame &frame = stack.last();
        od::value child;
        bool count = frame.count;
        if (frame.isObject) {
            if (frame.started)
                ++frame.object;
            frame.started = true;
            if (!(frame.object != od::object_iterator{})) {
                stack.removeLast();
                continue;
            }
            od::field field;
            if (const auto e = (*frame.object).get(field))
                return e;
            std::string_view key;
            if (const auto e = field.unescaped_key().get(key))
                return e;
            if (count) {
                const Media media = mediaKey(key);
                if (media == Media::Image)
                    estimator->addImage();
                count = media == Media::None;
            }
            child = field.value();
        } else {
            if (frame.started)
                ++frame.array;
            frame.started = true;
            if (!(frame.array != od::array_iterator{})) {
                stack.removeLast();
                continue;
            }
            if (const auto e = (*frame.array).get(child))
                return e;
        }
        // `frame` may dangle from here on: enter() can grow the stack.
        if (const auto e = enter(child, count))
            return e;
    }
    return sj::SUCCESS;
}

std::string_view JsonScan::trimToken(std::string_view token)
{
    size_t n = token.size();
    while (n > 0 && isSpace(token[n - 1]))
        --n;
    return token.substr(0, n);
}

bool JsonScan::isNumberToken(std::string_view raw)
{
    const std::string_view s = trimToken(raw);
    const size_t n = s.size();
    size_t i = 0;
    auto digits = [&] {
        const size_t from = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i > from;
    };
    if (i < n && s[i] == '-')
        ++i;
    if (i < n && s[i] == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < n && s[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == n;
}

JsonScan::IntegerStatus JsonScan::integerToken(std::string_view raw, qint64 *out)
{
    const std::string_view s = trimToken(raw);
    if (!isNumberToken(s))
        return IntegerStatus::NotInteger;
    const bool negative = s.front() == '-';
    qint64 value = 0;
    for (size_t i = negative ? 1 : 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c < '0' || c > '9')
            return IntegerStatus::NotInteger;
        if (value > (std::numeric_limits<qint64>::max() - (c - '0')) / 10)
            return IntegerStatus::OutOfRange;
        value = value * 10 + (c - '0');
    }
    *out = negative ? -value : value;
    return IntegerStatus::Ok;
}

QString JsonScan::typeName(od::value &value)
{
    od::json_type type;
    if (value.type().get(type))
        return QStringLiteral("an invalid value");
    switch (type) {
    case od::json_type::object:
        return QStringLiteral("an object");
    case od::json_type::array:
        return QStringLiteral("an array");
    case od::json_type::string:
        return QStringLiteral("a string");
    case od::json_type::boolean:
        return QStringLiteral("a boolean");
    case od::json_type::null:
        return QStringLiteral("null");
    case od::json_type::number: {
        const std::string_view token = trimToken(value.raw_json_token());
        return token.find_first_of(".eE") == std::string_view::npos ? QStringLiteral("an integer")
                                                                    : QStringLiteral("a decimal number");
    }
    }
    return QStringLiteral("an invalid value");
}

QString JsonScan::describe(sj::error_code error)
{
    switch (error) {
    case sj::EMPTY:
        return QStringLiteral("it is empty");
    case sj::UTF8_ERROR:
        return QStringLiteral("it is not valid UTF-8");
    case sj::UNESCAPED_CHARS:
        return QStringLiteral("a string holds an unescaped control character");
    case sj::STRING_ERROR:
        return QStringLiteral("a string holds an invalid escape sequence");
    case sj::UNCLOSED_STRING:
        return QStringLiteral("a string is not closed");
    case sj::NUMBER_ERROR:
        return QStringLiteral("a number is malformed");
    case sj::T_ATOM_ERROR:
    case sj::F_ATOM_ERROR:
    case sj::N_ATOM_ERROR:
    case sj::INCORRECT_TYPE:
        return QStringLiteral("a value is malformed (the only bare words are true, false and null)");
    case sj::TAPE_ERROR:
        return QStringLiteral("a comma, colon, bracket or brace is missing or misplaced");
    case sj::INCOMPLETE_ARRAY_OR_OBJECT:
        return QStringLiteral("it ends before every object and array is closed");
    case sj::DEPTH_ERROR:
        return QStringLiteral("it is nested more than %1 levels deep").arg(MaxDepth);
    case sj::CAPACITY:
        return QStringLiteral("it is too large");
    case sj::MEMALLOC:
        return QStringLiteral("there was not enough memory to parse it");
    default:
        return QString::fromUtf8(sj::error_message(error));
    }
}

qsizetype JsonScan::skipSpace(QByteArrayView s, qsizetype from)
{
    while (from < s.size() && isSpace(s[from]))
        ++from;
    return from;
}

qsizetype JsonScan::skipSpaceBack(QByteArrayView s, qsizetype end)
{
    while (end > 0 && isSpace(s[end - 1]))
        --end;
    return end;
}

qsizetype JsonScan::stringEnd(QByteArrayView s, qsizetype openQuote)
{
    for (qsizetype i = openQuote + 1; i < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == '"')
            return i + 1;
    }
    return -1;
}

bool JsonScan::finishLayout(QByteArrayView source, JsonObjectLayout *layout)
{
    // Only whitespace and one comma separate a value from the next key, and
    // only whitespace the last value from the closing brace, so both ends
    // are found by stepping back from what follows.
    const qsizetype close = skipSpaceBack(source, source.size()) - 1;
    if (close < 0 || source[close] != '}')
        return false;
    layout->closeBrace = close;
    auto &members = layout->members;
    for (qsizetype i = 0; i < members.size(); ++i) {
        auto &m = members[i];
        m.keyEnd = stringEnd(source, m.keyBegin);
        if (m.keyEnd < 0)
            return false;
        qsizetype end;
        if (i + 1 < members.size()) {
            const qsizetype comma = skipSpaceBack(source, members[i + 1].keyBegin) - 1;
            if (comma < 0 || source[comma] != ',')
                return false;
            end = skipSpaceBack(source, comma);
        } else {
            end = skipSpaceBack(source, close);
        }
        if (end <= m.valueBegin)
            return false;
        m.valueEnd = end;
    }
    return true;
}

} // namespace gw
