#include "openairequestinspector.h"

#include "jsonscan.h"

#include <limits>

namespace gw {

namespace {

constexpr qsizetype kMaxMembers = 4096;
constexpr int kMaxChoices = 128;  // OpenAI's own bound on n
constexpr int kMaxImages = 10;    // and on n for images

// Containers are counted from the body's object (level 1); a value at level
// L may open MaxDepth - L + 1 more.
constexpr int budgetAt(int level)
{
    return JsonScan::MaxDepth - level + 1;
}

// A field error stops the scan like a syntax error does; this code says
// which of the two it was (the message is already written then).
constexpr sj::error_code kFieldError = sj::INCORRECT_TYPE;

class Inspection
{
public:
    Inspection(OpenAiEndpoint endpoint, OpenAiRequestView *view)
        : m_endpoint(endpoint), m_view(view)
    {
    }

    bool failed() const { return !m_message.isEmpty(); }
    QString message() const { return m_message; }
    QString param() const { return m_param; }
    bool sawMessages() const { return m_sawMessages; }
    bool sawInput() const { return m_sawInput; }
    bool sawText() const { return m_sawText; }
    bool sawVoice() const { return m_sawVoice; }

    sj::error_code member(std::string_view key, od::value &value)
    {
        if (key == "model")
            return readModel(value);
        if (key == "stream")
            return readStream(value);
        if (key == "max_tokens")
            return readInteger(value, "max_tokens", 1, std::numeric_limits<qint64>::max(), &m_view->maxTokens);
        if (key == "max_completion_tokens")
            return readInteger(value, "max_completion_tokens", 1, std::numeric_limits<qint64>::max(),
                               &m_view->maxCompletionTokens);
        if (key == "n") {
            std::optional<qint64> n;
            const auto e = readInteger(value, "n", 1, kMaxChoices, &n);
            m_view->n = n ? std::optional<int>(int(*n)) : std::nullopt;
            return e;
        }
        if (key == "stream_options")
            return readStreamOptions(value);
        if (key == "messages" && m_endpoint == OpenAiEndpoint::ChatCompletions)
            return readMessages(value);
        if (key == "input" && m_endpoint == OpenAiEndpoint::Embeddings)
            return readInput(value);
        if (key == "prompt" && m_endpoint == OpenAiEndpoint::Images)
            return readText(value, "prompt", &m_sawText);
        if (key == "input" && m_endpoint == OpenAiEndpoint::Speech)
            return readText(value, "input", &m_sawText);
        if (key == "voice" && m_endpoint == OpenAiEndpoint::Speech) {
            od::json_type type;
            if (const auto e = typeOf(value, &type))
                return e;
            m_sawVoice = type != od::json_type::null;
            return JsonScan::validate(value, budgetAt(2));
        }
        return JsonScan::validate(value, budgetAt(2));
    }

private:
    sj::error_code typeError(const QString &param, const QString &expected, od::value &value)
    {
        return fail(QStringLiteral("Invalid type for '%1': expected %2, but got %3 instead.")
                        .arg(param, expected, JsonScan::typeName(value)),
                    param);
    }

    sj::error_code fail(const QString &message, const QString &param)
    {
        m_message = message;
        m_param = param;
        return kFieldError;
    }

    static sj::error_code typeOf(od::value &value, od::json_type *type) { return value.type().get(*type); }

    sj::error_code readModel(od::value &value)
    {
        od::json_type type;
        if (const auto e = typeOf(value, &type))
            return e;
        if (type == od::json_type::null) {
            m_view->model.clear();
            return nullValue(value);
        }
        if (type != od::json_type::string)
            return typeError(QStringLiteral("model"), QStringLiteral("a string"), value);
        std::string_view s;
        if (const auto e = value.get_string().get(s))
            return e;
        m_view->model = JsonScan::fromUtf8(s);
        return sj::SUCCESS;
    }

    sj::error_code readStream(od::value &value)
    {
        od::json_type type;
        if (const auto e = typeOf(value, &type))
            return e;
        if (type == od::json_type::null) {
            m_view->stream = false;
            return nullValue(value);
        }
        if (type != od::json_type::boolean)
            return typeError(QStringLiteral("stream"), QStringLiteral("a boolean"), value);
        return value.get_bool().get(m_view->stream);
    }

    static sj::error_code nullValue(od::value &value)
    {
        bool isNull = false;
        if (const auto e = value.is_null().get(isNull))
            return e;
        return isNull ? sj::SUCCESS : sj::N_ATOM_ERROR;
    }

    sj::error_code readInteger(od::value &value, const char *name, qint64 min, qint64 max,
                               std::optional<qint64> *out)
    {
        // Built only for an error: this runs for every request.
        const auto param = [name] { return QString::fromLatin1(name); };
        od::json_type type;
        if (const auto e = typeOf(value, &type))
            return e;
        if (type == od::json_type::null) {
            out->reset();
            return nullValue(value);
        }
        if (type != od::json_type::number)
            return typeError(param(), QStringLiteral("an integer"), value);
        const std::string_view token = value.raw_json_token();
        if (!JsonScan::isNumberToken(token))
            return sj::NUMBER_ERROR;
        qint64 v = 0;
        switch (JsonScan::integerToken(token, &v)) {
        case JsonScan::IntegerStatus::NotInteger:
            return typeError(param(), QStringLiteral("an integer"), value);
        case JsonScan::IntegerStatus::OutOfRange:
            return fail(QStringLiteral("Invalid '%1': integer above maximum value. Expected a value <= %2.")
                            .arg(param())
                            .arg(max),
                        param());
        case JsonScan::IntegerStatus::Ok:
            break;
        }
        if (v < min)
            return fail(QStringLiteral("Invalid '%1': integer below minimum value. Expected a value >= %2, "
                                       "but got %3 instead.")
                            .arg(param())
                            .arg(min)
                            .arg(v),
                        param());
        if (v > max)
            return fail(QStringLiteral("Invalid '%1': integer above maximum value. Expected a value <= %2, "
                                       "but got %3 instead.")
                            .arg(param())
                            .arg(max)
                            .arg(v),
                        param());
        *out = v;
        return sj::SUCCESS;
    }

    sj::error_code readStreamOptions(od::value &value)
    {
        od::json_type type;
        if (const auto e = typeOf(value, &type))
            return e;
        if (type == od::json_type::null) {
            m_view->hasStreamOptions = false;
            m_view->includeUsage = false;
            return nullValue(value);
        }
        if (type != od::json_type::object)
            return typeError(QStringLiteral("stream_options"), QStringLiteral("an object"), value);
        od::object object;
        if (const auto e = value.get_object().get(object))
            return e;
        m_view->hasStreamOptions = true;
        m_view->includeUsage = false;
        for (auto result : object) {
            od::field field;
            if (const auto e = std::move(result).get(field))
                return e;
            std::string_view key;
            if (const auto e = field.unescaped_key().get(key))
                return e;
            od::value child = field.value();
            if (key != "include_usage") {
                if (const auto e = JsonScan::validate(child, budgetAt(3)))
                    return e;
                continue;
            }
            if (const auto e = typeOf(child, &type))
                return e;
            if (type == od::json_type::null) {
                m_view->includeUsage = false;
                if (const auto e = nullValue(child))
                    return e;
                continue;
            }
            if (type != od::json_type::boolean)
                return typeError(QStringLiteral("stream_options.include_usage"), QStringLiteral("a boolean"),
                                 child);
            if (const auto e = child.get_bool().get(m_view->includeUsage))
                return e;
        }
        return sj::SUCCESS;
    }

    sj::error_code readMessages(od::value &value)
    {
        m_sawMessages = true;
        od::json_type type;
        if (const auto e = typeOf(value, &type))
            return e;
        if (type != od::json_type::array)
            return typeError(QStringLiteral("messages"), QStringLiteral("an array of objects"), value);
        od::array array;
        if (const auto e = value.get_array().get(array))
            return e;
        int index = 0;
        for (auto result : array) {
            od::value message;
            if (const auto e = std::move(result).get(message))
                return e;
            if (const auto e = readMessage(message, index))
                return e;
            ++index;
        }
        m_view->messageCount = index;
        return sj::SUCCESS;
    }

    sj::error_code readMessage(od::value &message, int index)
    {
        const auto param = [index](const char *tail) -> QString {
            return QStringLiteral("messages[%1]").arg(index) + QString::fromLatin1(tail);
        };
        od::json_type type;
        if (const auto e = typeOf(message, &type))
            return e;
        if (type != od::json_type::object)
            return typeError(param(""), QStringLiteral("an object"), message);
        m_view->prompt.addMessage();
        od::object object;
        if (const auto e = message.get_object().get(object))
            return e;
        for (auto result : object) {
            od::field field;
            if (const auto e = std::move(result).get(field))
                return e;
            std::string_view key;
            if (const auto e = field.unescaped_key().get(key))
                return e;
            od::value child = field.value();
            if (key != "content") {
                // role, name, tool_calls, tool_call_id, ...: all of it is
                // text the model reads, bar media (see JsonScan::validate).
                if (const auto e = JsonScan::validate(child, budgetAt(4), &m_view->prompt))
                    return e;
                continue;
            }
            if (const auto e = typeOf(child, &type))
                return e;
            switch (type) {
            case od::json_type::string: {
                std::string_view s;
                if (const auto e = child.get_string().get(s))
                    return e;
                m_view->prompt.addText(JsonScan::bytes(s));
                break;
            }
            case od::json_type::null:
                if (const auto e = nullValue(child))
                    return e;
                break;
            case od::json_type::array: {
                od::array parts;
                if (const auto e = child.get_array().get(parts))
                    return e;
                int partIndex = 0;
                for (auto partResult : parts) {
                    od::value part;
                    if (const auto e = std::move(partResult).get(part))
                        return e;
                    if (const auto e = typeOf(part, &type))
                        return e;
                    if (type != od::json_type::object)
                        return typeError(param(".content[") + QString::number(partIndex) + QLatin1Char(']'),
                                         QStringLiteral("an object"), part);
                    if (const auto e = JsonScan::validate(part, budgetAt(5), &m_view->prompt))
                        return e;
                    ++partIndex;
                }
                break;
            }
            default:
                return typeError(param(".content"), QStringLiteral("one of a string or array of objects"), child);
            }
        }
        return sj::SUCCESS;
    }

    // A required text (an image's prompt, the words to speak): measured as
    // prompt text and counted in code points.
    sj::error_code readText(od::value &value, const char *name, bool *saw)
    {
        od::json_type type;
        if (const auto e = typeOf(value, &type))
            return e;
        if (type == od::json_type::null) {
            *saw = false;
            return nullValue(value);
        }
        if (type != od::json_type::string)
            return typeError(QString::fromLatin1(name), QStringLiteral("a string"), value);
        std::string_view s;
        if (const auto e = value.get_string().get(s))
            return e;
        *saw = !s.empty();
        m_view->prompt.addText(JsonScan::bytes(s));
        m_view->textChars = 0;
        for (const char c : s)
            m_view->textChars += (uchar(c) & 0xc0) != 0x80;
        return sj::SUCCESS;
    }

    sj::error_code readInput(od::value &value)
    {
        m_sawInput = true;
        static const QString expected = QStringLiteral(
            "one of a string, an array of strings, an array of integers or an array of arrays of integers");
        od::json_type type;
        if (const auto e = typeOf(value, &type))
            return e;
        if (type == od::json_type::string) {
            std::string_view s;
            if (const auto e = value.get_string().get(s))
                return e;
            m_view->prompt.addText(JsonScan::bytes(s));
            m_view->inputCount = 1;
            return sj::SUCCESS;
        }
        if (type != od::json_type::array)
            return typeError(QStringLiteral("input"), expected, value);
        od::array array;
        if (const auto e = value.get_array().get(array))
            return e;
        // The first element decides which of the three array shapes this is.
        std::optional<od::json_type> shape;
        int index = 0;
        for (auto result : array) {
            od::value element;
            if (const auto e = std::move(result).get(element))
                return e;
            // Built only for an error: an input array can hold thousands.
            const auto param = [index] { return QStringLiteral("input[%1]").arg(index); };
            if (const auto e = typeOf(element, &type))
                return e;
            if (!shape && (type == od::json_type::string || type == od::json_type::number
                           || type == od::json_type::array))
                shape = type;
            if (!shape || type != *shape)
                return typeError(param(), expected, element);
            if (type == od::json_type::string) {
                std::string_view s;
                if (const auto e = element.get_string().get(s))
                    return e;
                m_view->prompt.addText(JsonScan::bytes(s));
            } else if (type == od::json_type::number) {
                if (const auto e = readTokenId(element, index, -1))
                    return e;
                m_view->prompt.addTokens(1);
            } else {
                od::array tokens;
                if (const auto e = element.get_array().get(tokens))
                    return e;
                int tokenIndex = 0;
                for (auto tokenResult : tokens) {
                    od::value token;
                    if (const auto e = std::move(tokenResult).get(token))
                        return e;
                    if (const auto e = readTokenId(token, index, tokenIndex))
                        return e;
                    ++tokenIndex;
                }
                m_view->prompt.addTokens(tokenIndex);
            }
            ++index;
        }
        m_view->inputCount = index;
        return sj::SUCCESS;
    }

    // input[index] or, with inner >= 0, input[index][inner]
    sj::error_code readTokenId(od::value &value, int index, int inner)
    {
        const auto param = [index, inner] {
            QString p = QStringLiteral("input[%1]").arg(index);
            if (inner >= 0)
                p += QStringLiteral("[%1]").arg(inner);
            return p;
        };
        od::json_type type;
        if (const auto e = typeOf(value, &type))
            return e;
        if (type != od::json_type::number)
            return typeError(param(), QStringLiteral("an integer"), value);
        const std::string_view token = value.raw_json_token();
        if (!JsonScan::isNumberToken(token))
            return sj::NUMBER_ERROR;
        qint64 id = 0;
        if (JsonScan::integerToken(token, &id) != JsonScan::IntegerStatus::Ok || id < 0)
            return typeError(param(), QStringLiteral("a non-negative integer"), value);
        return sj::SUCCESS;
    }

    OpenAiEndpoint m_endpoint;
    OpenAiRequestView *m_view;
    QString m_message;
    QString m_param;
    bool m_sawMessages = false;
    bool m_sawInput = false;
    bool m_sawText = false;
    bool m_sawVoice = false;
};

} // namespace

std::optional<OpenAiRequestView> OpenAiRequestInspector::inspect(QByteArrayView body, OpenAiEndpoint endpoint,
                                                                 QString *error, QString *errorParam)
{
    auto fail = [&](const QString &message, const QString &param) -> std::optional<OpenAiRequestView> {
        if (error)
            *error = message;
        if (errorParam)
            *errorParam = param;
        return std::nullopt;
    };
    auto invalid = [&](sj::error_code e) {
        return fail(QStringLiteral("the body is not valid JSON: ") + JsonScan::describe(e), QString());
    };

    JsonScan::Session session(body);
    od::document doc;
    if (const auto e = session.start(&doc))
        return invalid(e);
    od::json_type type;
    if (const auto e = doc.type().get(type))
        return invalid(e);
    if (type != od::json_type::object)
        return fail(QStringLiteral("the body must be a JSON object"), QString());

    OpenAiRequestView view;
    Inspection inspection(endpoint, &view);
    const auto e = JsonScan::scanObject(session, doc, &view.layout, kMaxMembers,
                                        [&inspection](std::string_view key, od::value &value, int) {
                                            return inspection.member(key, value);
                                        });
    if (inspection.failed())
        return fail(inspection.message(), inspection.param());
    if (e == sj::CAPACITY && view.layout.members.size() >= kMaxMembers)
        return fail(QStringLiteral("the body has more than %1 top-level fields").arg(kMaxMembers), QString());
    if (e)
        return invalid(e);

    if (endpoint != OpenAiEndpoint::Other && view.model.isEmpty())
        return fail(QStringLiteral("you must provide a model parameter"), QStringLiteral("model"));
    if (endpoint == OpenAiEndpoint::ChatCompletions && !inspection.sawMessages())
        return fail(QStringLiteral("Missing required parameter: 'messages'."), QStringLiteral("messages"));
    if (endpoint == OpenAiEndpoint::Embeddings && !inspection.sawInput())
        return fail(QStringLiteral("Missing required parameter: 'input'."), QStringLiteral("input"));
    if (endpoint == OpenAiEndpoint::Images) {
        if (!inspection.sawText())
            return fail(QStringLiteral("Missing required parameter: 'prompt'."), QStringLiteral("prompt"));
        if (view.n && *view.n > kMaxImages)
            return fail(QStringLiteral("Invalid 'n': at most %1 images per request.").arg(kMaxImages), QStringLiteral("n"));
        // Partial images as server-sent events would need their own
        // accounting; refused rather than relayed as an answer nobody reads.
        if (view.stream)
            return fail(QStringLiteral("Streaming image generation is not available through this gateway; leave out 'stream'."),
                        QStringLiteral("stream"));
    }
    if (endpoint == OpenAiEndpoint::Speech) {
        if (!inspection.sawText())
            return fail(QStringLiteral("Missing required parameter: 'input'."), QStringLiteral("input"));
        if (!inspection.sawVoice())
            return fail(QStringLiteral("Missing required parameter: 'voice'."), QStringLiteral("voice"));
    }

    if (endpoint == OpenAiEndpoint::ChatCompletions) {
        // Tool and schema definitions reach the model as text too; their
        // JSON is a fair (punctuation-heavy, so generous) stand-in for it.
        const QByteArrayView source = session.view();
        for (int i = 0; i < view.layout.members.size(); ++i) {
            if (view.layout.keyEquals(source, i, "tools") || view.layout.keyEquals(source, i, "functions")
                || view.layout.keyEquals(source, i, "response_format"))
                view.prompt.addText(view.layout.rawValue(source, i));
        }
    }
    return view;
}

} // namespace gw
