#include "api/openai/jsonbodyeditor.h"
#include "api/openai/openaiimagesanswer.h"
#include "api/openai/jsonobjectlayout.h"
#include "api/openai/openairequestinspector.h"
#include "api/openai/openairesponseinfo.h"
#include "api/openai/openairesponserewriter.h"
#include "api/openai/openaistreamassembler.h"
#include "api/openai/openaiusage.h"
#include "api/openai/sseeventparser.h"
#include "api/openai/tokenestimator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cctype>
#include <functional>
#include <random>

using namespace gw;

namespace {

// JSON fixtures live in escaped strings or in fixtures/openai/: moc cannot
// read raw string literals that span lines.
QByteArray fixture(const QString &name)
{
    const QString path = QFINDTESTDATA(QStringLiteral("fixtures/openai/") + name);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QJsonObject parseObject(const QByteArray &json, bool *ok = nullptr)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (ok)
        *ok = error.error == QJsonParseError::NoError && doc.isObject();
    return doc.object();
}

std::optional<OpenAiRequestView> inspect(const QByteArray &body, OpenAiEndpoint endpoint = OpenAiEndpoint::ChatCompletions,
                                         QString *error = nullptr, QString *param = nullptr)
{
    QString e;
    QString p;
    auto view = OpenAiRequestInspector::inspect(body, endpoint, &e, &p);
    if (error)
        *error = e;
    if (param)
        *param = p;
    return view;
}

QByteArray edited(const QByteArray &body, const std::function<void(JsonBodyEditor &)> &edit)
{
    const auto layout = JsonObjectLayout::scan(body, true);
    if (!layout)
        qFatal("test body is not an object: %s", body.constData());
    JsonBodyEditor editor(body, *layout);
    edit(editor);
    return editor.result();
}

QList<SseEventParser::Event> parseAll(const QByteArray &stream, QList<qsizetype> cuts, QByteArray *pending = nullptr)
{
    SseEventParser parser;
    QList<SseEventParser::Event> events;
    qsizetype from = 0;
    cuts.append(stream.size());
    for (const qsizetype cut : cuts) {
        QString error;
        events += parser.feed(QByteArrayView(stream).sliced(from, cut - from), &error);
        if (!error.isEmpty())
            qFatal("unexpected SSE error: %s", qPrintable(error));
        from = cut;
    }
    if (pending)
        *pending = parser.pending().toByteArray();
    return events;
}

bool sameEvents(const QList<SseEventParser::Event> &a, const QList<SseEventParser::Event> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].event != b[i].event || a[i].data != b[i].data || a[i].id != b[i].id || a[i].hasId != b[i].hasId
            || a[i].retry != b[i].retry || a[i].hasData != b[i].hasData || a[i].dataLines != b[i].dataLines)
            return false;
    }
    return true;
}

// A plain recursive-descent RFC 8259 checker (ASCII only, which is all the
// mutation test produces): the reference the inspector is compared with.
class StrictJson
{
public:
    static bool isObject(QByteArrayView s)
    {
        StrictJson p{s};
        p.space();
        if (p.peek() != '{' || !p.value(0))
            return false;
        p.space();
        return p.m_at == s.size();
    }

private:
    explicit StrictJson(QByteArrayView s) : m_s(s) {}
    char peek() const { return m_at < m_s.size() ? m_s[m_at] : '\0'; }
    void space()
    {
        while (m_at < m_s.size() && (peek() == ' ' || peek() == '\n' || peek() == '\r' || peek() == '\t'))
            ++m_at;
    }
    bool literal(const char *word)
    {
        const QByteArrayView w(word);
        if (!m_s.sliced(m_at).startsWith(w))
            return false;
        m_at += w.size();
        return true;
    }
    bool digits()
    {
        const qsizetype from = m_at;
        while (peek() >= '0' && peek() <= '9')
            ++m_at;
        return m_at > from;
    }
    bool number()
    {
        if (peek() == '-')
            ++m_at;
        if (peek() == '0')
            ++m_at;
        else if (!digits())
            return false;
        if (peek() == '.') {
            ++m_at;
            if (!digits())
                return false;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++m_at;
            if (peek() == '+' || peek() == '-')
                ++m_at;
            if (!digits())
                return false;
        }
        return true;
    }
    bool string()
    {
        ++m_at;
        while (m_at < m_s.size()) {
            const char c = m_s[m_at++];
            if (c == '"')
                return true;
            if (uchar(c) < 0x20)
                return false;
            if (c == '\\') {
                const char e = peek();
                ++m_at;
                if (e == 'u') {
                    for (int i = 0; i < 4; ++i, ++m_at) {
                        if (!std::isxdigit(uchar(peek())))
                            return false;
                    }
                } else if (!QByteArrayView("\"\\/bfnrt").contains(e)) {
                    return false;
                }
            }
        }
        return false;
    }
    bool value(int depth)
    {
        if (depth > 64)
            return false;
        space();
        const char c = peek();
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_at;
            space();
            if (peek() == close) {
                ++m_at;
                return true;
            }
            while (true) {
                space();
                if (c == '{') {
                    if (peek() != '"' || !string())
                        return false;
                    space();
                    if (peek() != ':')
                        return false;
                    ++m_at;
                }
                if (!value(depth + 1))
                    return false;
                space();
                if (peek() == ',') {
                    ++m_at;
                    continue;
                }
                if (peek() != close)
                    return false;
                ++m_at;
                return true;
            }
        }
        if (c == '"')
            return string();
        if (c == 't')
            return literal("true");
        if (c == 'f')
            return literal("false");
        if (c == 'n')
            return literal("null");
        return number();
    }

    QByteArrayView m_s;
    qsizetype m_at = 0;
};

QByteArray repeated(const char *piece, int times)
{
    QByteArray out;
    for (int i = 0; i < times; ++i)
        out += piece;
    return out;
}

} // namespace

class TestOpenAiCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // ---- OpenAiRequestInspector -------------------------------------------

    void inspectorReadsARealisticChatRequest()
    {
        const QByteArray body = fixture(QStringLiteral("chat_request.json"));
        QString error;
        const auto view = inspect(body, OpenAiEndpoint::ChatCompletions, &error);
        QVERIFY2(view, qPrintable(error));
        QCOMPARE(view->model, QStringLiteral("gpt-4o-mini"));
        QVERIFY(view->stream);
        QCOMPARE(view->maxTokens, std::optional<qint64>(512));
        QVERIFY(!view->maxCompletionTokens);
        QCOMPARE(view->outputTokenLimit(), std::optional<qint64>(512));
        QCOMPARE(view->n, std::optional<int>(1));
        QVERIFY(!view->hasStreamOptions);
        QVERIFY(!view->includeUsage);
        QCOMPARE(view->messageCount, 4);
        QCOMPARE(view->prompt.messages(), 4);
        QCOMPARE(view->prompt.images(), 1);
        // The text read: the system prompt, the text part, the tool call and
        // the tool result, not the image's base64.
        QVERIFY(view->prompt.textBytes() > 150);
        QVERIFY(view->estimatedPromptTokens() > TokenEstimator::PerImageTokens + 4 * TokenEstimator::PerMessageTokens);
        QVERIFY(view->estimatedPromptTokens() < 1500);

        const QStringList keys = {QStringLiteral("model"), QStringLiteral("messages"), QStringLiteral("tools"),
                                  QStringLiteral("temperature"), QStringLiteral("top_p"), QStringLiteral("max_tokens"),
                                  QStringLiteral("n"), QStringLiteral("stream"), QStringLiteral("user"),
                                  QStringLiteral("x_vendor_extension")};
        QCOMPARE(view->layout.members.size(), keys.size());
        for (int i = 0; i < keys.size(); ++i)
            QCOMPARE(QString::fromUtf8(view->layout.unescapedKey(body, i)), keys[i]);
        QCOMPARE(view->layout.rawValue(body, view->layout.lastIndexOf(body, "temperature")), QByteArrayView("0.70"));
        QCOMPARE(view->layout.rawValue(body, view->layout.lastIndexOf(body, "stream")), QByteArrayView("true"));
        QCOMPARE(view->layout.rawValue(body, view->layout.lastIndexOf(body, "x_vendor_extension")),
                 QByteArrayView("{\"keep\": [1, 2.50, -0.0, 1e400]}"));
        QCOMPARE(body.at(view->layout.openBrace), '{');
        QCOMPARE(body.at(view->layout.closeBrace), '}');
    }

    void inspectorReadsEveryField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<bool>("includeUsage");
        QTest::addColumn<qint64>("maxTokens");      // -1: absent
        QTest::addColumn<qint64>("maxCompletion");  // -1: absent
        QTest::addColumn<int>("n");                 // -1: absent

        const QByteArray m = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        QTest::newRow("minimal") << QByteArray("{\"model\":\"x\"," + m + "}") << false << false << qint64(-1) << qint64(-1) << -1;
        QTest::newRow("stream+usage")
            << QByteArray("{\"model\":\"x\"," + m + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}")
            << true << true << qint64(-1) << qint64(-1) << -1;
        QTest::newRow("usage false") << QByteArray("{\"model\":\"x\"," + m + ",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"x\":[1]}}")
                                     << true << false << qint64(-1) << qint64(-1) << -1;
        QTest::newRow("nulls are absent")
            << QByteArray("{\"model\":\"x\"," + m + ",\"stream\":null,\"stream_options\":null,\"max_tokens\":null,\"n\":null}")
            << false << false << qint64(-1) << qint64(-1) << -1;
        QTest::newRow("limits") << QByteArray("{\"model\":\"x\"," + m + ",\"max_tokens\":1,\"max_completion_tokens\":9007199254740993,\"n\":128}")
                                << false << false << qint64(1) << qint64(9007199254740993LL) << 128;
        QTest::newRow("duplicates: the last wins")
            << QByteArray("{\"model\":\"x\",\"stream\":false," + m + ",\"stream\":true,\"n\":2,\"n\":3,\"max_tokens\":5,\"max_tokens\":null}")
            << true << false << qint64(-1) << qint64(-1) << 3;
        QTest::newRow("escaped key names")
            << QByteArray("{\"mod\\u0065l\":\"x\"," + m + ",\"str\\u0065am\":true,\"n\\u0000\":5}")
            << true << false << qint64(-1) << qint64(-1) << -1;
    }

    void inspectorReadsEveryField()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, stream);
        QFETCH(bool, includeUsage);
        QFETCH(qint64, maxTokens);
        QFETCH(qint64, maxCompletion);
        QFETCH(int, n);
        QString error;
        const auto view = inspect(body, OpenAiEndpoint::ChatCompletions, &error);
        QVERIFY2(view, qPrintable(error));
        QCOMPARE(view->model, QStringLiteral("x"));
        QCOMPARE(view->stream, stream);
        QCOMPARE(view->includeUsage, includeUsage);
        QCOMPARE(view->maxTokens.value_or(-1), maxTokens);
        QCOMPARE(view->maxCompletionTokens.value_or(-1), maxCompletion);
        QCOMPARE(view->n.value_or(-1), n);
    }

    void inspectorNamesTheFieldAtFault_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("endpoint");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("message");

        const int chat = int(OpenAiEndpoint::ChatCompletions);
        const int emb = int(OpenAiEndpoint::Embeddings);
        const QByteArray m = ",\"messages\":[]";
        QTest::newRow("no model") << QByteArray("{\"messages\":[]}") << chat << QStringLiteral("model")
                                  << QStringLiteral("you must provide a model parameter");
        QTest::newRow("empty model") << QByteArray("{\"model\":\"\"" + m + "}") << chat << QStringLiteral("model")
                                     << QStringLiteral("you must provide a model parameter");
        QTest::newRow("null model") << QByteArray("{\"model\":null" + m + "}") << chat << QStringLiteral("model")
                                    << QStringLiteral("you must provide a model parameter");
        QTest::newRow("model int") << QByteArray("{\"model\":42" + m + "}") << chat << QStringLiteral("model")
                                   << QStringLiteral("Invalid type for 'model': expected a string, but got an integer instead.");
        QTest::newRow("model object") << QByteArray("{\"model\":{}" + m + "}") << chat << QStringLiteral("model")
                                      << QStringLiteral("Invalid type for 'model': expected a string, but got an object instead.");
        QTest::newRow("model in a duplicate") << QByteArray("{\"model\":\"a\",\"model\":[1]" + m + "}") << chat
                                              << QStringLiteral("model")
                                              << QStringLiteral("Invalid type for 'model': expected a string, but got an array instead.");
        QTest::newRow("stream string") << QByteArray("{\"model\":\"x\"" + m + ",\"stream\":\"true\"}") << chat
                                       << QStringLiteral("stream")
                                       << QStringLiteral("Invalid type for 'stream': expected a boolean, but got a string instead.");
        QTest::newRow("stream int") << QByteArray("{\"model\":\"x\"" + m + ",\"stream\":1}") << chat << QStringLiteral("stream")
                                    << QStringLiteral("Invalid type for 'stream': expected a boolean, but got an integer instead.");
        QTest::newRow("max_tokens decimal") << QByteArray("{\"model\":\"x\"" + m + ",\"max_tokens\":1.5}") << chat
                                            << QStringLiteral("max_tokens")
                                            << QStringLiteral("Invalid type for 'max_tokens': expected an integer, but got a decimal number instead.");
        QTest::newRow("max_tokens 1e400") << QByteArray("{\"model\":\"x\"" + m + ",\"max_tokens\":1e400}") << chat
                                          << QStringLiteral("max_tokens")
                                          << QStringLiteral("Invalid type for 'max_tokens': expected an integer, but got a decimal number instead.");
        QTest::newRow("max_tokens string") << QByteArray("{\"model\":\"x\"" + m + ",\"max_tokens\":\"100\"}") << chat
                                           << QStringLiteral("max_tokens")
                                           << QStringLiteral("Invalid type for 'max_tokens': expected an integer, but got a string instead.");
        QTest::newRow("max_tokens zero") << QByteArray("{\"model\":\"x\"" + m + ",\"max_tokens\":0}") << chat
                                         << QStringLiteral("max_tokens")
                                         << QStringLiteral("Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.");
        QTest::newRow("max_tokens negative") << QByteArray("{\"model\":\"x\"" + m + ",\"max_tokens\":-5}") << chat
                                             << QStringLiteral("max_tokens")
                                             << QStringLiteral("Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got -5 instead.");
        QTest::newRow("max_tokens huge") << QByteArray("{\"model\":\"x\"" + m + ",\"max_tokens\":123456789012345678901234567890}")
                                         << chat << QStringLiteral("max_tokens")
                                         << QStringLiteral("Invalid 'max_tokens': integer above maximum value. Expected a value <= 9223372036854775807.");
        QTest::newRow("max_completion_tokens bool") << QByteArray("{\"model\":\"x\"" + m + ",\"max_completion_tokens\":true}")
                                                    << chat << QStringLiteral("max_completion_tokens")
                                                    << QStringLiteral("Invalid type for 'max_completion_tokens': expected an integer, but got a boolean instead.");
        QTest::newRow("n too big") << QByteArray("{\"model\":\"x\"" + m + ",\"n\":129}") << chat << QStringLiteral("n")
                                   << QStringLiteral("Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.");
        QTest::newRow("n array") << QByteArray("{\"model\":\"x\"" + m + ",\"n\":[1]}") << chat << QStringLiteral("n")
                                 << QStringLiteral("Invalid type for 'n': expected an integer, but got an array instead.");
        QTest::newRow("stream_options string") << QByteArray("{\"model\":\"x\"" + m + ",\"stream_options\":\"usage\"}") << chat
                                               << QStringLiteral("stream_options")
                                               << QStringLiteral("Invalid type for 'stream_options': expected an object, but got a string instead.");
        QTest::newRow("include_usage string") << QByteArray("{\"model\":\"x\"" + m + ",\"stream_options\":{\"include_usage\":\"yes\"}}")
                                              << chat << QStringLiteral("stream_options.include_usage")
                                              << QStringLiteral("Invalid type for 'stream_options.include_usage': expected a boolean, but got a string instead.");
        QTest::newRow("no messages") << QByteArray("{\"model\":\"x\"}") << chat << QStringLiteral("messages")
                                     << QStringLiteral("Missing required parameter: 'messages'.");
        QTest::newRow("messages object") << QByteArray("{\"model\":\"x\",\"messages\":{}}") << chat << QStringLiteral("messages")
                                         << QStringLiteral("Invalid type for 'messages': expected an array of objects, but got an object instead.");
        QTest::newRow("message string") << QByteArray("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},\"hi\"]}")
                                        << chat << QStringLiteral("messages[1]")
                                        << QStringLiteral("Invalid type for 'messages[1]': expected an object, but got a string instead.");
        QTest::newRow("content number") << QByteArray("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":1.5}]}")
                                        << chat << QStringLiteral("messages[0].content")
                                        << QStringLiteral("Invalid type for 'messages[0].content': expected one of a string or array of objects, but got a decimal number instead.");
        QTest::newRow("content part string") << QByteArray("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},\"b\"]}]}")
                                             << chat << QStringLiteral("messages[0].content[1]")
                                             << QStringLiteral("Invalid type for 'messages[0].content[1]': expected an object, but got a string instead.");
        QTest::newRow("no input") << QByteArray("{\"model\":\"e\"}") << emb << QStringLiteral("input")
                                  << QStringLiteral("Missing required parameter: 'input'.");
        QTest::newRow("input object") << QByteArray("{\"model\":\"e\",\"input\":{}}") << emb << QStringLiteral("input")
                                      << QStringLiteral("Invalid type for 'input': expected one of a string, an array of strings, an array of integers or an array of arrays of integers, but got an object instead.");
        QTest::newRow("input mixed") << QByteArray("{\"model\":\"e\",\"input\":[\"a\",1]}") << emb << QStringLiteral("input[1]")
                                     << QStringLiteral("Invalid type for 'input[1]': expected one of a string, an array of strings, an array of integers or an array of arrays of integers, but got an integer instead.");
        QTest::newRow("input token decimal") << QByteArray("{\"model\":\"e\",\"input\":[[1,2.5]]}") << emb << QStringLiteral("input[0][1]")
                                             << QStringLiteral("Invalid type for 'input[0][1]': expected a non-negative integer, but got a decimal number instead.");
        QTest::newRow("input negative token") << QByteArray("{\"model\":\"e\",\"input\":[5,-1]}") << emb << QStringLiteral("input[1]")
                                              << QStringLiteral("Invalid type for 'input[1]': expected a non-negative integer, but got an integer instead.");
    }

    void inspectorNamesTheFieldAtFault()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, endpoint);
        QFETCH(QString, param);
        QFETCH(QString, message);
        QString error;
        QString errorParam;
        const auto view = inspect(body, OpenAiEndpoint(endpoint), &error, &errorParam);
        QVERIFY(!view);
        QCOMPARE(errorParam, param);
        QCOMPARE(error, message);
    }

    void inspectorRefusesWhatIsNotJson_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("detail");

        QTest::newRow("empty") << QByteArray() << QStringLiteral("it is empty");
        QTest::newRow("blank") << QByteArray(" \n\t ") << QStringLiteral("it is empty");
        QTest::newRow("truncated") << QByteArray("{\"model\":\"x\",\"messages\":[{\"role\":\"us") << QString();
        QTest::newRow("truncated after a value") << QByteArray("{\"model\":\"x\"") << QString();
        QTest::newRow("trailing garbage") << QByteArray("{\"model\":\"x\",\"messages\":[]} x") << QString();
        QTest::newRow("two documents") << QByteArray("{\"model\":\"x\",\"messages\":[]}{}") << QString();
        QTest::newRow("extra brace") << QByteArray("{\"model\":\"x\",\"messages\":[]}}") << QString();
        QTest::newRow("NaN") << QByteArray("{\"model\":\"x\",\"messages\":[],\"temperature\":NaN}") << QString();
        QTest::newRow("Infinity") << QByteArray("{\"model\":\"x\",\"messages\":[],\"temperature\":-Infinity}") << QString();
        QTest::newRow("leading zero") << QByteArray("{\"model\":\"x\",\"messages\":[],\"seed\":01}") << QStringLiteral("a number is malformed");
        QTest::newRow("bare minus") << QByteArray("{\"model\":\"x\",\"messages\":[],\"seed\":-}") << QStringLiteral("a number is malformed");
        QTest::newRow("dot without digits") << QByteArray("{\"model\":\"x\",\"messages\":[],\"seed\":1.}") << QStringLiteral("a number is malformed");
        QTest::newRow("single quotes") << QByteArray("{'model':'x'}") << QString();
        QTest::newRow("trailing comma") << QByteArray("{\"model\":\"x\",\"messages\":[],\"a\":[1,],}") << QString();
        QTest::newRow("trailing member comma") << QByteArray("{\"model\":\"x\",\"messages\":[],}") << QString();
        QTest::newRow("missing comma deep") << QByteArray("{\"model\":\"x\",\"messages\":[],\"a\":{\"b\":[1 2]}}") << QString();
        QTest::newRow("bad literal deep") << QByteArray("{\"model\":\"x\",\"messages\":[],\"a\":[[tru]]}") << QString();
        QTest::newRow("invalid UTF-8") << QByteArray("{\"model\":\"x\xff\",\"messages\":[]}") << QStringLiteral("it is not valid UTF-8");
        QTest::newRow("overlong UTF-8") << QByteArray("{\"model\":\"\xc0\xaf\",\"messages\":[]}") << QStringLiteral("it is not valid UTF-8");
        QTest::newRow("control char") << QByteArray("{\"model\":\"a\tb\",\"messages\":[]}")
                                      << QStringLiteral("a string holds an unescaped control character");
        QTest::newRow("bad escape") << QByteArray("{\"model\":\"x\",\"messages\":[],\"u\":\"\\q\"}")
                                    << QStringLiteral("a string holds an invalid escape sequence");
        QTest::newRow("lone surrogate") << QByteArray("{\"model\":\"x\",\"messages\":[],\"u\":\"\\ud800\"}")
                                        << QStringLiteral("a string holds an invalid escape sequence");
        QTest::newRow("bad key escape") << QByteArray("{\"model\":\"x\",\"messages\":[],\"\\uZZZZ\":1}")
                                        << QStringLiteral("a string holds an invalid escape sequence");
        QTest::newRow("comment") << QByteArray("{\"model\":\"x\" /* c */,\"messages\":[]}") << QString();
        static const char withNul[] = "{\"model\":\"x\",\"messages\":[]}\0";
        QTest::newRow("NUL byte") << QByteArray(withNul, sizeof(withNul) - 1) << QString();
    }

    void inspectorRefusesWhatIsNotJson()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, detail);
        QString error;
        QString param;
        const auto view = inspect(body, OpenAiEndpoint::ChatCompletions, &error, &param);
        QVERIFY(!view);
        QVERIFY2(error.startsWith(QStringLiteral("the body is not valid JSON: ")), qPrintable(error));
        if (!detail.isEmpty())
            QCOMPARE(error, QStringLiteral("the body is not valid JSON: ") + detail);
        QVERIFY(param.isEmpty());
    }

    void inspectorRefusesBodiesThatAreNotObjects_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("array") << QByteArray("[{\"model\":\"x\"}]");
        QTest::newRow("string") << QByteArray("\"model\"");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("true") << QByteArray(" true ");
    }

    void inspectorRefusesBodiesThatAreNotObjects()
    {
        QFETCH(QByteArray, body);
        QString error;
        QVERIFY(!inspect(body, OpenAiEndpoint::ChatCompletions, &error));
        QCOMPARE(error, QStringLiteral("the body must be a JSON object"));
    }

    void inspectorSurvivesHostileBodies()
    {
        const QByteArray head = "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"junk\":";
        QString error;

        // 10k levels deep, balanced and not
        QVERIFY(!inspect(head + QByteArray(10000, '[') + QByteArray(10000, ']') + "}", OpenAiEndpoint::ChatCompletions, &error));
        QVERIFY2(error.contains(QStringLiteral("nested more than 256 levels")), qPrintable(error));
        QVERIFY(!inspect(head + QByteArray(100000, '[') + "}", OpenAiEndpoint::ChatCompletions, &error));
        QVERIFY(!inspect(head + repeated("{\"a\":", 10000) + "1" + QByteArray(10000, '}') + "}", OpenAiEndpoint::ChatCompletions, &error));
        QVERIFY(!inspect(QByteArray(10000, '{'), OpenAiEndpoint::ChatCompletions, &error));

        // the limit itself: the body's object is level 1
        QVERIFY2(inspect(head + QByteArray(255, '[') + QByteArray(255, ']') + "}", OpenAiEndpoint::ChatCompletions, &error),
                 qPrintable(error));
        QVERIFY(!inspect(head + QByteArray(256, '[') + QByteArray(256, ']') + "}", OpenAiEndpoint::ChatCompletions, &error));
        // deep inside a message (its own frames count too)
        const QByteArray deepMessage = "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"x\":"
                                       + QByteArray(300, '[') + QByteArray(300, ']') + "}]}";
        QVERIFY(!inspect(deepMessage, OpenAiEndpoint::ChatCompletions, &error));

        // a 1 MB string is fine, and measured
        const QByteArray big(1024 * 1024, 'a');
        const auto view = inspect("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}",
                                  OpenAiEndpoint::ChatCompletions, &error);
        QVERIFY2(view, qPrintable(error));
        QCOMPARE(view->prompt.textBytes(), qint64(big.size()) + 4);  // + "user"
        QVERIFY(view->estimatedPromptTokens() >= big.size() / 4);

        // numbers outside double's range are valid JSON where nobody reads them
        QVERIFY(inspect(head + "[1e400,-1e-400,123456789012345678901234567890]}", OpenAiEndpoint::ChatCompletions, &error));

        // too many top-level members
        QByteArray many = "{\"model\":\"x\",\"messages\":[]";
        for (int i = 0; i < 5000; ++i)
            many += ",\"k" + QByteArray::number(i) + "\":1";
        many += '}';
        QVERIFY(!inspect(many, OpenAiEndpoint::ChatCompletions, &error));
        QCOMPARE(error, QStringLiteral("the body has more than 4096 top-level fields"));

        // a large body goes through a parser of its own, and again later
        // through the per-thread one
        for (int round = 0; round < 2; ++round) {
            QVERIFY(inspect("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QByteArray(3 * 1024 * 1024, 'b') + "\"}]}"));
            QVERIFY(inspect("{\"model\":\"x\",\"messages\":[]}"));
        }
    }

    void inspectorAgreesWithAStrictParserOnMutatedBodies()
    {
        // Differential check: one- and two-byte mutations of a valid body
        // are accepted exactly when a plain RFC 8259 parser accepts them
        // (Qt's would not do: it takes ".1", "01" and raw newlines in strings).
        const QByteArray base = "{\"model\": \"gpt\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", "
                                "\"text\": \"h\\u00e9\\n\"}]}], \"a\": [1, -2.5e+3, true, false, null, {\"b\": {}}, []], \"c\": 0}";
        const QByteArray alphabet = "{}[],:\" 0123456789-+.eEtrufalsn\\\n\t";
        QRandomGenerator rng(1234);
        int accepted = 0;
        for (int round = 0; round < 20000; ++round) {
            QByteArray body = base;
            const int edits = 1 + int(rng.bounded(2));
            for (int e = 0; e < edits; ++e) {
                const int at = int(rng.bounded(body.size() + 1));
                const char c = alphabet.at(int(rng.bounded(alphabet.size())));
                switch (rng.bounded(3)) {
                case 0:
                    if (at < body.size())
                        body.remove(at, 1);
                    break;
                case 1:
                    body.insert(at, c);
                    break;
                default:
                    if (at < body.size())
                        body[at] = c;
                }
            }
            const bool reference = StrictJson::isObject(body);
            QString error;
            const bool ours = inspect(body, OpenAiEndpoint::Other, &error).has_value();
            // type errors in the fields we read are ours alone
            if (ours != reference && !(reference && error.startsWith(QStringLiteral("Invalid"))))
                QFAIL(qPrintable(QStringLiteral("disagreement (ours %1, reference %2, %3) on: %4")
                                     .arg(ours)
                                     .arg(reference)
                                     .arg(error, QString::fromUtf8(body))));
            accepted += ours;
        }
        QVERIFY(accepted > 1000);
    }

    void inspectorMeasuresEmbeddingInputs_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("count");
        QTest::addColumn<qint64>("exactTokens");
        QTest::addColumn<qint64>("textBytes");
        QTest::newRow("string") << QByteArray("\"hello world\"") << 1 << qint64(0) << qint64(11);
        QTest::newRow("strings") << QByteArray("[\"a\", \"bc\", \"\"]") << 3 << qint64(0) << qint64(3);
        QTest::newRow("tokens") << QByteArray("[1, 2, 3, 100257]") << 4 << qint64(4) << qint64(0);
        QTest::newRow("token arrays") << QByteArray("[[1, 2], [3], []]") << 3 << qint64(3) << qint64(0);
        QTest::newRow("empty") << QByteArray("[]") << 0 << qint64(0) << qint64(0);
    }

    void inspectorMeasuresEmbeddingInputs()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, count);
        QFETCH(qint64, exactTokens);
        QFETCH(qint64, textBytes);
        QString error;
        const auto view = inspect("{\"model\":\"text-embedding-3-small\",\"input\":" + input + ",\"encoding_format\":\"float\"}",
                                  OpenAiEndpoint::Embeddings, &error);
        QVERIFY2(view, qPrintable(error));
        QCOMPARE(view->inputCount, count);
        QCOMPARE(view->prompt.exactTokens(), exactTokens);
        QCOMPARE(view->prompt.textBytes(), textBytes);
        QCOMPARE(view->prompt.messages(), 0);
        QCOMPARE(view->estimatedPromptTokens(), exactTokens + view->prompt.textTokens());
    }

    void inspectorCountsDuplicatesTowardsTheEstimate()
    {
        const QByteArray one = "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QByteArray(400, 'a') + "\"}]}";
        const QByteArray two = "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QByteArray(400, 'a')
                               + "\"}],\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}";
        const auto a = inspect(one);
        const auto b = inspect(two);
        QVERIFY(a && b);
        QCOMPARE(b->messageCount, 1);  // the last one is what the upstream reads
        QVERIFY(b->estimatedPromptTokens() > a->estimatedPromptTokens());
    }

    void inspectorOtherEndpointRequiresNothing()
    {
        QString error;
        const auto view = inspect("{\"prompt\":\"x\"}", OpenAiEndpoint::Other, &error);
        QVERIFY2(view, qPrintable(error));
        QVERIFY(view->model.isEmpty());
        QVERIFY(inspect("{}", OpenAiEndpoint::Other));
        QVERIFY(!inspect("{\"model\":1}", OpenAiEndpoint::Other));
    }

    // ---- JsonBodyEditor ----------------------------------------------------

    void editorReplacesTheModelWherever_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("first") << QByteArray("{\"model\":\"a\",\"n\":1}") << QByteArray("{\"model\":\"up/m\",\"n\":1}");
        QTest::newRow("last") << QByteArray("{\"n\":1.0,\"model\":\"a\"}") << QByteArray("{\"n\":1.0,\"model\":\"up/m\"}");
        QTest::newRow("only") << QByteArray("{\"model\":\"a\"}") << QByteArray("{\"model\":\"up/m\"}");
        QTest::newRow("middle, spaced") << QByteArray("{ \"n\" : 1 , \"model\" : \"a\" , \"x\" : [ ] }")
                                        << QByteArray("{ \"n\" : 1 , \"model\" : \"up/m\" , \"x\" : [ ] }");
        QTest::newRow("pretty CRLF") << QByteArray("{\r\n  \"model\": \"a\",\r\n  \"temperature\": 0.70\r\n}\r\n")
                                     << QByteArray("{\r\n  \"model\": \"up/m\",\r\n  \"temperature\": 0.70\r\n}\r\n");
        QTest::newRow("non-string value") << QByteArray("{\"model\":null}") << QByteArray("{\"model\":\"up/m\"}");
        QTest::newRow("absent") << QByteArray("{\"n\":1}") << QByteArray("{\"n\":1,\"model\":\"up/m\"}");
        QTest::newRow("empty object") << QByteArray("{}") << QByteArray("{\"model\":\"up/m\"}");
        QTest::newRow("empty spaced") << QByteArray(" { \n } ") << QByteArray(" {\"model\":\"up/m\" \n } ");
        QTest::newRow("duplicates collapse") << QByteArray("{\"model\":\"a\",\"n\":1,\"model\":\"b\"}")
                                             << QByteArray("{\"n\":1,\"model\":\"up/m\"}");
        QTest::newRow("escaped key") << QByteArray("{\"mod\\u0065l\":\"a\"}") << QByteArray("{\"mod\\u0065l\":\"up/m\"}");
    }

    void editorReplacesTheModelWherever()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        const QByteArray out = edited(body, [](JsonBodyEditor &e) { e.setString("model", u"up/m"); });
        QCOMPARE(out, expected);
        bool ok = false;
        QCOMPARE(parseObject(out, &ok).value(QStringLiteral("model")).toString(), QStringLiteral("up/m"));
        QVERIFY(ok);
    }

    void editorKeepsEveryOtherByte()
    {
        const QByteArray body = fixture(QStringLiteral("chat_request.json"));
        const auto view = inspect(body);
        QVERIFY(view);
        JsonBodyEditor editor(body, view->layout);
        editor.setString("model", u"meta-llama/Llama-3.3-70B-Instruct");
        QVERIFY(editor.requestStreamUsage());
        editor.remove(QStringList{QStringLiteral("user"), QStringLiteral("x_vendor_extension"), QStringLiteral("absent")});
        const QByteArray out = editor.result();

        // What the edits leave: the same bytes with the three spans changed.
        QByteArray expected = body;
        expected.replace("\"model\": \"gpt-4o-mini\"", "\"model\": \"meta-llama/Llama-3.3-70B-Instruct\"");
        expected.replace(",\n  \"user\": \"user-1234\"", "");
        expected.replace(",\n  \"x_vendor_extension\": {\"keep\": [1, 2.50, -0.0, 1e400]}",
                         ",\"stream_options\":{\"include_usage\":true}");
        QCOMPARE(out, expected);

        QString error;
        const auto again = inspect(out, OpenAiEndpoint::ChatCompletions, &error);
        QVERIFY2(again, qPrintable(error));
        QVERIFY(again->includeUsage);
        QCOMPARE(again->model, QStringLiteral("meta-llama/Llama-3.3-70B-Instruct"));
        bool ok = false;
        const QJsonObject o = parseObject(out, &ok);
        QVERIFY(ok);
        QVERIFY(!o.contains(QStringLiteral("user")));
        QCOMPARE(o.value(QStringLiteral("tools")).toArray().size(), 1);
    }

    void editorMergesStreamOptions_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("absent") << QByteArray("{\"stream\":true}") << QByteArray("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        QTest::newRow("null") << QByteArray("{\"stream_options\":null,\"stream\":true}")
                              << QByteArray("{\"stream_options\":{\"include_usage\":true},\"stream\":true}");
        QTest::newRow("empty") << QByteArray("{\"stream_options\": {}}") << QByteArray("{\"stream_options\": {\"include_usage\":true}}");
        QTest::newRow("other members kept") << QByteArray("{\"stream_options\": {\"continuous_usage_stats\": true, \"x\": 1.50}}")
                                            << QByteArray("{\"stream_options\": {\"continuous_usage_stats\": true, \"x\": 1.50,\"include_usage\":true}}");
        QTest::newRow("false flipped") << QByteArray("{\"stream_options\": {\"include_usage\": false, \"x\": 1}}")
                                       << QByteArray("{\"stream_options\": {\"include_usage\": true, \"x\": 1}}");
        QTest::newRow("null flipped") << QByteArray("{\"stream_options\":{\"include_usage\":null}}")
                                      << QByteArray("{\"stream_options\":{\"include_usage\":true}}");
        QTest::newRow("duplicate options") << QByteArray("{\"stream_options\":{\"a\":1},\"stream\":true,\"stream_options\":{\"b\":2}}")
                                           << QByteArray("{\"stream\":true,\"stream_options\":{\"b\":2,\"include_usage\":true}}");
    }

    void editorMergesStreamOptions()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        const QByteArray out = edited(body, [](JsonBodyEditor &e) { QVERIFY(e.requestStreamUsage()); });
        QCOMPARE(out, expected);
        bool ok = false;
        parseObject(out, &ok);
        QVERIFY(ok);
    }

    void editorRemovesMembers_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray pretty = "{\n  \"a\": 1,\n  \"b\": [2],\n  \"c\": {\"d\": 3}\n}";
        QTest::newRow("first") << pretty << QStringList{QStringLiteral("a")} << QByteArray("{\n  \"b\": [2],\n  \"c\": {\"d\": 3}\n}");
        QTest::newRow("middle") << pretty << QStringList{QStringLiteral("b")} << QByteArray("{\n  \"a\": 1,\n  \"c\": {\"d\": 3}\n}");
        QTest::newRow("last") << pretty << QStringList{QStringLiteral("c")} << QByteArray("{\n  \"a\": 1,\n  \"b\": [2]\n}");
        QTest::newRow("last two") << pretty << QStringList{QStringLiteral("c"), QStringLiteral("b")} << QByteArray("{\n  \"a\": 1\n}");
        QTest::newRow("first two") << pretty << QStringList{QStringLiteral("a"), QStringLiteral("b")} << QByteArray("{\n  \"c\": {\"d\": 3}\n}");
        QTest::newRow("first and last") << pretty << QStringList{QStringLiteral("a"), QStringLiteral("c")} << QByteArray("{\n  \"b\": [2]\n}");
        QTest::newRow("all") << pretty << QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")} << QByteArray("{\n  \n}");
        QTest::newRow("none matching") << pretty << QStringList{QStringLiteral("z")} << pretty;
        QTest::newRow("only") << QByteArray("{\"a\":1}") << QStringList{QStringLiteral("a")} << QByteArray("{}");
        QTest::newRow("duplicates") << QByteArray("{\"a\":1,\"b\":2,\"a\":3}") << QStringList{QStringLiteral("a")} << QByteArray("{\"b\":2}");
        QTest::newRow("escaped key") << QByteArray("{\"\\u0061\":1,\"b\":2}") << QStringList{QStringLiteral("a")} << QByteArray("{\"b\":2}");
        QTest::newRow("unicode key") << QByteArray("{\"gr\\u00fc\\u00dfe\":1,\"b\":2}") << QStringList{QStringLiteral("grüße")} << QByteArray("{\"b\":2}");
        QTest::newRow("astral key") << QByteArray("{\"\\ud83c\\udf89\":1,\"b\":2}") << QStringList{QStringLiteral("🎉")} << QByteArray("{\"b\":2}");
    }

    void editorRemovesMembers()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, keys);
        QFETCH(QByteArray, expected);
        const QByteArray out = edited(body, [&keys](JsonBodyEditor &e) { e.remove(keys); });
        QCOMPARE(out, expected);
    }

    void editorRemovesAndInsertsTogether()
    {
        const QByteArray body = "{\"a\":1,\"b\":2,\"c\":3}";
        QCOMPARE(edited(body, [](JsonBodyEditor &e) {
                     e.remove("b");
                     e.remove("c");
                     e.setRaw("d", "[4]");
                 }),
                 QByteArray("{\"a\":1,\"d\":[4]}"));
        QCOMPARE(edited(body, [](JsonBodyEditor &e) {
                     e.remove(QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
                     e.setRaw("d", "4");
                 }),
                 QByteArray("{\"d\":4}"));
        // the last edit of a key wins
        QCOMPARE(edited(body, [](JsonBodyEditor &e) {
                     e.remove("a");
                     e.setRaw("a", "true");
                 }),
                 QByteArray("{\"a\":true,\"b\":2,\"c\":3}"));
        QCOMPARE(edited(body, [](JsonBodyEditor &e) {
                     e.setRaw("z", "1");
                     e.remove("z");
                 }),
                 body);
        QCOMPARE(edited(body, [](JsonBodyEditor &e) {
                     e.setRaw("b", "null");
                     e.setString("b", u"s");
                 }),
                 QByteArray("{\"a\":1,\"b\":\"s\",\"c\":3}"));
    }

    void editorEscapesStrings()
    {
        const QString nasty = QStringLiteral("a\"b\\c\nd\te\x01f/東京🎉\u2028");
        const QByteArray out = edited("{\"model\":\"x\"}", [&nasty](JsonBodyEditor &e) { e.setString("model", nasty); });
        bool ok = false;
        QCOMPARE(parseObject(out, &ok).value(QStringLiteral("model")).toString(), nasty);
        QVERIFY(ok);
        QCOMPARE(JsonBodyEditor::quote(u"a\"b"), QByteArray("\"a\\\"b\""));
        QCOMPARE(JsonBodyEditor::quoteUtf8("\x1f"), QByteArray("\"\\u001f\""));
        QVERIFY(inspect("{\"model\":" + JsonBodyEditor::quote(nasty) + ",\"messages\":[]}"));
    }

    void editorWithoutLayoutScansItself()
    {
        JsonBodyEditor editor(QByteArrayView("{\"model\": \"a\", \"stream\": true}"));
        QVERIFY(editor.isValid());
        editor.setString("model", u"b");
        QVERIFY(editor.requestStreamUsage());
        QCOMPARE(editor.result(), QByteArray("{\"model\": \"b\", \"stream\": true,\"stream_options\":{\"include_usage\":true}}"));

        JsonBodyEditor broken(QByteArrayView("[1,2]"));
        QVERIFY(!broken.isValid());
        broken.setString("model", u"b");
        QVERIFY(!broken.requestStreamUsage());
        QCOMPARE(broken.result(), QByteArray("[1,2]"));
    }

    void editorMatchesAJsonModelOfTheEdits()
    {
        // Property check: random objects in random layouts, random edits;
        // the result parses, equals the same edits done on a QJsonObject,
        // and survives the inspector.
        QRandomGenerator rng(42);
        const QList<QByteArray> names = {"model", "stream", "n", "user", "a", "b", "stream_options", "tools"};
        const QList<QByteArray> values = {"1", "-2.50", "\"s\"", "true", "null", "[1, {\"x\": []}]", "{\"include_usage\": false, \"k\": 1}", "{}"};
        const QList<QByteArray> spaces = {"", " ", "\n  ", "\r\n", "\t"};
        auto space = [&] { return spaces.at(int(rng.bounded(spaces.size()))); };
        for (int round = 0; round < 500; ++round) {
            QList<QByteArray> keys = names;
            std::shuffle(keys.begin(), keys.end(), std::mt19937(rng.generate()));
            keys = keys.mid(0, int(rng.bounded(keys.size() + 1)));
            QByteArray body = space() + "{" + space();
            QJsonObject model;
            for (int i = 0; i < keys.size(); ++i) {
                const QByteArray value = values.at(int(rng.bounded(values.size())));
                if (i > 0)
                    body += space() + "," + space();
                body += "\"" + keys[i] + "\"" + space() + ":" + space() + value;
                model.insert(QString::fromUtf8(keys[i]), QJsonDocument::fromJson("[" + value + "]").array().at(0));
            }
            body += space() + "}" + space();

            const auto layout = JsonObjectLayout::scan(body, true);
            QVERIFY2(layout, body.constData());
            JsonBodyEditor editor(body, *layout);
            const int edits = int(rng.bounded(5));
            for (int e = 0; e < edits; ++e) {
                const QByteArray key = names.at(int(rng.bounded(names.size())));
                const QString k = QString::fromUtf8(key);
                switch (rng.bounded(3)) {
                case 0:
                    editor.remove(key);
                    model.remove(k);
                    break;
                case 1:
                    editor.setString(key, u"v");
                    model.insert(k, QStringLiteral("v"));
                    break;
                default: {
                    const QByteArray value = values.at(int(rng.bounded(values.size())));
                    editor.setRaw(key, value);
                    model.insert(k, QJsonDocument::fromJson("[" + value + "]").array().at(0));
                }
                }
            }
            const bool merge = !model.contains(QStringLiteral("stream_options"))
                               || model.value(QStringLiteral("stream_options")).isObject()
                               || model.value(QStringLiteral("stream_options")).isNull();
            if (merge && rng.bounded(2)) {
                // stream_options as the edits left it: merged on the result
                const QByteArray once = editor.result();
                const auto onceLayout = JsonObjectLayout::scan(once, true);
                QVERIFY(onceLayout);
                JsonBodyEditor second(once, *onceLayout);
                QVERIFY(second.requestStreamUsage());
                QJsonObject options = model.value(QStringLiteral("stream_options")).toObject();
                options.insert(QStringLiteral("include_usage"), true);
                model.insert(QStringLiteral("stream_options"), options);
                const QByteArray out = second.result();
                bool ok = false;
                QCOMPARE(parseObject(out, &ok), model);
                QVERIFY2(ok, out.constData());
                continue;
            }
            const QByteArray out = editor.result();
            bool ok = false;
            const QJsonObject got = parseObject(out, &ok);
            QVERIFY2(ok, QByteArray(body + " => " + out).constData());
            QCOMPARE(got, model);
            QVERIFY(JsonObjectLayout::scan(out, true));
        }
    }

    // ---- SseEventParser ----------------------------------------------------

    void sseParsesARealStream()
    {
        const QByteArray stream = fixture(QStringLiteral("chat_stream.sse"));
        QByteArray pending;
        const auto events = parseAll(stream, {}, &pending);
        QCOMPARE(events.size(), 7);
        QVERIFY(pending.isEmpty());
        for (const auto &e : events) {
            QVERIFY(e.hasData);
            QVERIFY(e.event.isEmpty());
            QCOMPARE(e.dataLines, 1);
            QCOMPARE(e.raw.mid(e.dataOffset, e.data.size()), e.data);
            QVERIFY(e.raw.startsWith("data: "));
            QVERIFY(e.raw.endsWith("\n\n"));
        }
        QVERIFY(events.last().isDone());
        QVERIFY(events.first().data.startsWith("{\"id\":\"chatcmpl-AxQ7\""));
        QByteArray joined;
        for (const auto &e : events)
            joined += e.raw;
        QCOMPARE(joined, stream);
    }

    void sseFollowsTheSpecification_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QStringList>("expected");  // "type|data|id|retry" per dispatched event

        QTest::newRow("LF") << QByteArray("data: a\n\ndata: b\n\n") << QStringList{QStringLiteral("|a||"), QStringLiteral("|b||")};
        QTest::newRow("CRLF") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n") << QStringList{QStringLiteral("|a||"), QStringLiteral("|b||")};
        QTest::newRow("CR") << QByteArray("data: a\r\rdata: b\r\r") << QStringList{QStringLiteral("|a||"), QStringLiteral("|b||")};
        QTest::newRow("mixed") << QByteArray("data: a\r\ndata: b\rdata: c\n\r\n") << QStringList{QStringLiteral("|a\nb\nc||")};
        QTest::newRow("multi-line data") << QByteArray("data: {\ndata:  \"x\": 1\ndata: }\n\n")
                                         << QStringList{QStringLiteral("|{\n \"x\": 1\n}||")};
        QTest::newRow("no space") << QByteArray("data:x\n\n") << QStringList{QStringLiteral("|x||")};
        QTest::newRow("two spaces") << QByteArray("data:  x\n\n") << QStringList{QStringLiteral("| x||")};
        QTest::newRow("bare field") << QByteArray("data\n\n") << QStringList{QStringLiteral("|||")};
        QTest::newRow("empty data lines") << QByteArray("data\ndata\n\n") << QStringList{QStringLiteral("|\n||")};
        QTest::newRow("comments") << QByteArray(": keep-alive\n\n: x\ndata: a\n: y\n\n")
                                  << QStringList{QStringLiteral("-"), QStringLiteral("|a||")};
        QTest::newRow("event id retry") << QByteArray("event: message_delta\nid: 42\nretry: 1500\ndata: a\n\n")
                                        << QStringList{QStringLiteral("message_delta|a|42|1500")};
        QTest::newRow("bad retry ignored") << QByteArray("retry: 15x\ndata: a\n\n") << QStringList{QStringLiteral("|a||")};
        QTest::newRow("unknown field") << QByteArray("foo: bar\ndata: a\n\n") << QStringList{QStringLiteral("|a||")};
        QTest::newRow("event only") << QByteArray("event: ping\n\n") << QStringList{QStringLiteral("-")};
        QTest::newRow("extra blank lines") << QByteArray("data: a\n\n\n\ndata: b\n\n")
                                           << QStringList{QStringLiteral("|a||"), QStringLiteral("-"), QStringLiteral("-"), QStringLiteral("|b||")};
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF" "data: a\n\n") << QStringList{QStringLiteral("|a||")};
        QTest::newRow("colon in value") << QByteArray("data: a: b\n\n") << QStringList{QStringLiteral("|a: b||")};
        QTest::newRow("unterminated") << QByteArray("data: a\n\ndata: b\n") << QStringList{QStringLiteral("|a||")};
    }

    void sseFollowsTheSpecification()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QStringList, expected);
        for (int step : {0, 1, 2, 3}) {
            QList<qsizetype> cuts;
            for (qsizetype at = step; step > 0 && at < stream.size(); at += step)
                cuts.append(at);
            QByteArray pending;
            const auto events = parseAll(stream, cuts, &pending);
            QStringList got;
            QByteArray joined;
            for (const auto &e : events) {
                joined += e.raw;
                if (!e.hasData) {
                    got << QStringLiteral("-");
                    continue;
                }
                got << QString::fromUtf8(e.event + '|' + e.data + '|' + e.id + '|'
                                         + (e.retry ? QByteArray::number(*e.retry) : QByteArray()));
            }
            QCOMPARE(got, expected);
            QCOMPARE(joined + pending, stream);
        }
    }

    void sseSurvivesAnyChunking()
    {
        QByteArray stream = fixture(QStringLiteral("chat_stream.sse")) + fixture(QStringLiteral("chat_stream_tools.sse"));
        // the same events again with CRLF and CR line ends, a comment and
        // multi-line data, so that cuts land inside every kind of line end
        QByteArray crlf = fixture(QStringLiteral("chat_stream.sse"));
        crlf.replace("\n", "\r\n");
        QByteArray cr = fixture(QStringLiteral("chat_stream_tools.sse"));
        cr.replace("\n", "\r");
        stream = ": OPENROUTER PROCESSING\n\n" + stream + crlf + cr + "event: x\ndata: {\ndata: }\nid: 7\n\n";
        const auto reference = parseAll(stream, {});
        QCOMPARE(reference.size(), 1 + 4 * 7 + 1);

        QRandomGenerator rng(7);
        for (int round = 0; round < 1000; ++round) {
            QList<qsizetype> cuts;
            const int pieces = int(rng.bounded(1, 60));
            for (int i = 0; i < pieces; ++i)
                cuts.append(rng.bounded(stream.size()));
            std::sort(cuts.begin(), cuts.end());
            QByteArray pending;
            const auto events = parseAll(stream, cuts, &pending);
            QVERIFY2(sameEvents(events, reference), qPrintable(QStringLiteral("round %1").arg(round)));
            QByteArray joined;
            for (const auto &e : events)
                joined += e.raw;
            QCOMPARE(joined + pending, stream);
        }
        // and one byte at a time
        QList<qsizetype> all;
        for (qsizetype i = 1; i < stream.size(); ++i)
            all.append(i);
        QVERIFY(sameEvents(parseAll(stream, all), reference));
    }

    void sseBoundsEventSize()
    {
        SseEventParser parser(1024);
        QString error;
        auto events = parser.feed(QByteArray("data: " + QByteArray(500, 'a') + "\n\n"), &error);
        QCOMPARE(events.size(), 1);
        QVERIFY(error.isEmpty());
        // a line that never ends: refused once past the limit, however fed
        for (int i = 0; i < 20 && error.isEmpty(); ++i)
            events = parser.feed(QByteArray(100, 'b'), &error);
        QVERIFY(!error.isEmpty());
        QVERIFY(parser.hasError());
        QVERIFY(parser.pending().size() <= 1024 + 100);
        QVERIFY(parser.feed("\n\n", &error).isEmpty());
        parser.reset();
        QCOMPARE(parser.feed("data: ok\n\n", &error).size(), 1);

        // an event of many short lines counts as a whole; events before it
        // in the same chunk still come out
        SseEventParser lines(1024);
        error.clear();
        events = lines.feed(QByteArray("data: first\n\n" + repeated("data: x\n", 200) + "\n"), &error);
        QCOMPARE(events.size(), 1);
        QVERIFY(!error.isEmpty());

        // the default limit: 4 MiB
        SseEventParser big;
        QCOMPARE(big.maxEventBytes(), qsizetype(4 * 1024 * 1024));
        events = big.feed(QByteArray("data: " + QByteArray(4 * 1024 * 1024 - 100, 'c') + "\n\n"), &error);
        QCOMPARE(events.size(), 1);
    }

    void sseFinishKeepsAnUnendedLastEvent()
    {
        SseEventParser parser;
        QString error;
        QCOMPARE(parser.feed("data: a\n\ndata: [DONE]", &error).size(), 1);
        const auto last = parser.finish(&error);
        QCOMPARE(last.size(), 1);
        QVERIFY(last.first().isDone());
        QCOMPARE(last.first().raw, QByteArray("data: [DONE]"));
        QVERIFY(parser.pending().isEmpty());

        SseEventParser comments;
        comments.feed(": only a comment\n", &error);
        QVERIFY(comments.finish(&error).isEmpty());
        SseEventParser endedLine;
        endedLine.feed("data: x\n", &error);
        QCOMPARE(endedLine.finish(&error).size(), 1);
    }

    void sseTracksTheLastEventId()
    {
        SseEventParser parser;
        const QByteArray stream = QByteArray("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n") + QByteArray("id: x\0y\ndata: d\n\n", 17);
        const auto events = parser.feed(stream);
        QCOMPARE(events.size(), 4);
        QVERIFY(events[0].hasId);
        QVERIFY(!events[1].hasId);
        QVERIFY(events[2].hasId);
        QCOMPARE(events[2].id, QByteArray());
        QVERIFY(!events[3].hasId);  // an id with NUL is ignored
        QCOMPARE(parser.lastEventId(), QByteArray());
    }

    // ---- usage and response info ----------------------------------------

    void usageFromAChatCompletion()
    {
        const QByteArray body = fixture(QStringLiteral("chat_completion.json"));
        const auto info = OpenAiResponseInfo::read(body);
        QVERIFY(info);
        QCOMPARE(info->id, QStringLiteral("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG"));
        QCOMPARE(info->model, QStringLiteral("gpt-4o-2024-08-06"));
        QCOMPARE(info->object, QStringLiteral("chat.completion"));
        QVERIFY(info->usage);
        QCOMPARE(info->usage->promptTokens, 1117);
        QCOMPARE(info->usage->completionTokens, 46);
        QCOMPARE(info->usage->totalTokens, 1163);
        QCOMPARE(info->usage->cachedTokens, 1024);
        QCOMPARE(info->usage->reasoningTokens, 12);
        QVERIFY(!info->usage->estimated);
        QCOMPARE(OpenAiUsage::fromResponse(body), info->usage);
    }

    void usageFromEmbeddings_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qint64>("tokens");
        QTest::addColumn<QString>("model");
        QTest::newRow("float") << QStringLiteral("embeddings_float.json") << qint64(8) << QStringLiteral("text-embedding-3-small");
        QTest::newRow("base64") << QStringLiteral("embeddings_base64.json") << qint64(12) << QStringLiteral("text-embedding-3-large");
    }

    void usageFromEmbeddings()
    {
        QFETCH(QString, file);
        QFETCH(qint64, tokens);
        QFETCH(QString, model);
        const auto info = OpenAiResponseInfo::read(fixture(file));
        QVERIFY(info);
        QCOMPARE(info->object, QStringLiteral("list"));
        QCOMPARE(info->model, model);
        QVERIFY(info->usage);
        QCOMPARE(info->usage->promptTokens, tokens);
        QCOMPARE(info->usage->completionTokens, 0);
        QCOMPARE(info->usage->totalTokens, tokens);
    }

    void usageReadsLeniently_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("prompt");
        QTest::addColumn<qint64>("completion");
        QTest::addColumn<qint64>("total");
        QTest::newRow("total missing") << QByteArray("{\"prompt_tokens\":3,\"completion_tokens\":4}") << qint64(3) << qint64(4) << qint64(7);
        QTest::newRow("decimal counts") << QByteArray("{\"prompt_tokens\":3.0,\"completion_tokens\":4.9,\"total_tokens\":7}")
                                        << qint64(3) << qint64(4) << qint64(7);
        QTest::newRow("junk counts") << QByteArray("{\"prompt_tokens\":\"3\",\"completion_tokens\":-4,\"total_tokens\":null,"
                                                   "\"prompt_tokens_details\":null,\"completion_tokens_details\":[1]}")
                                     << qint64(0) << qint64(0) << qint64(0);
        QTest::newRow("huge") << QByteArray("{\"prompt_tokens\":1e400,\"completion_tokens\":99999999999999999999999}")
                              << qint64(0) << qint64(0) << qint64(0);
        QTest::newRow("empty") << QByteArray("{}") << qint64(0) << qint64(0) << qint64(0);
    }

    void usageReadsLeniently()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, prompt);
        QFETCH(qint64, completion);
        QFETCH(qint64, total);
        const auto usage = OpenAiUsage::fromJson(json);
        QVERIFY(usage);
        QCOMPARE(usage->promptTokens, prompt);
        QCOMPARE(usage->completionTokens, completion);
        QCOMPARE(usage->totalTokens, total);
    }

    void responseInfoOnOddBodies()
    {
        QVERIFY(!OpenAiResponseInfo::read("[1]"));
        QVERIFY(!OpenAiResponseInfo::read("not json"));
        QVERIFY(!OpenAiResponseInfo::read(""));
        QVERIFY(!OpenAiUsage::fromJson("[]"));
        const auto nullUsage = OpenAiResponseInfo::read("{\"id\":\"c\",\"usage\":null,\"choices\":[]}");
        QVERIFY(nullUsage);
        QVERIFY(!nullUsage->usage);
        const auto error = OpenAiResponseInfo::read(
            "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        QVERIFY(error);
        QCOMPARE(error->errorMessage, QStringLiteral("Rate limit reached"));
        QVERIFY(OpenAiResponseInfo::read(QByteArray("{\"model\":\"" + QByteArray(2 * 1024 * 1024, 'm') + "\"}")));
        QVERIFY(!OpenAiResponseInfo::read(QByteArray(10000, '[')));
        QVERIFY(!OpenAiResponseInfo::read(QByteArray("{\"a\":" + QByteArray(100000, '[') + "}")));
    }

    // ---- OpenAiStreamAssembler ---------------------------------------------

    void assemblerFollowsATextStream()
    {
        OpenAiStreamAssembler assembler;
        for (const auto &event : parseAll(fixture(QStringLiteral("chat_stream.sse")), {}))
            assembler.add(event.data);
        QCOMPARE(assembler.id(), QStringLiteral("chatcmpl-AxQ7"));
        QCOMPARE(assembler.model(), QStringLiteral("gpt-4o-mini-2024-07-18"));
        QCOMPARE(assembler.content(), QByteArray("Hello! Grüße aus 東京 🎉\n\"quoted\""));
        QCOMPARE(assembler.finishReason(), QByteArray("stop"));
        QVERIFY(assembler.sawDone());
        QCOMPARE(assembler.chunkCount(), 6);
        QCOMPARE(assembler.invalidChunkCount(), 0);
        QVERIFY(assembler.usage());
        QCOMPARE(assembler.usage()->promptTokens, 19);
        QCOMPARE(assembler.usage()->completionTokens, 10);
        QCOMPARE(assembler.usageOrEstimate(999), *assembler.usage());
        QCOMPARE(assembler.deliveredChars(), qint64(QString::fromUtf8(assembler.content()).toUcs4().size()));
        QVERIFY(assembler.toolCalls().isEmpty());
        QCOMPARE(assembler.assembledText(1 << 20), assembler.content());
        QVERIFY(!assembler.truncated());
    }

    void assemblerFollowsToolCalls()
    {
        OpenAiStreamAssembler assembler;
        for (const auto &event : parseAll(fixture(QStringLiteral("chat_stream_tools.sse")), {}))
            assembler.add(event.data);
        QCOMPARE(assembler.finishReason(), QByteArray("tool_calls"));
        QCOMPARE(assembler.toolCalls().size(), 2);
        const auto &first = assembler.toolCalls().at(0);
        QCOMPARE(first.index, 0);
        QCOMPARE(first.id, QByteArray("call_DdmO9pD3xa9XTPNJ32zg2hcA"));
        QCOMPARE(first.type, QByteArray("function"));
        QCOMPARE(first.name, QByteArray("get_weather"));
        QCOMPARE(first.arguments, QByteArray("{\"location\": \"Paris\"}"));
        QCOMPARE(assembler.toolCalls().at(1).name, QByteArray("get_time"));
        QCOMPARE(assembler.toolCalls().at(1).arguments, QByteArray("{\"tz\": \"CET\"}"));
        QVERIFY(assembler.content().isEmpty());
        QVERIFY(!assembler.usage());
        QCOMPARE(assembler.assembledText(1000),
                 QByteArray("[tool_call call_DdmO9pD3xa9XTPNJ32zg2hcA get_weather] {\"location\": \"Paris\"}\n"
                            "[tool_call call_2 get_time] {\"tz\": \"CET\"}"));
        const OpenAiUsage estimate = assembler.usageOrEstimate(50);
        QVERIFY(estimate.estimated);
        QCOMPARE(estimate.promptTokens, 50);
        QVERIFY(estimate.completionTokens >= 8);
        QCOMPARE(estimate.totalTokens, estimate.promptTokens + estimate.completionTokens);
    }

    void assemblerHandlesOtherShapes()
    {
        OpenAiStreamAssembler assembler;
        // reasoning, two choices (index after delta), a chunk with usage
        // alongside choices, junk and an error object
        QCOMPARE(assembler.add("{\"choices\":[{\"delta\":{\"reasoning_content\":\"Let me think.\"},\"index\":0}]}"),
                 OpenAiStreamAssembler::ChunkKind::Chunk);
        assembler.add("{\"choices\":[{\"delta\":{\"content\":\"zero\"},\"index\":0},{\"delta\":{\"content\":\"one!\"},\"index\":1}]}");
        assembler.add("{\"choices\":[{\"delta\":{\"reasoning\":\" More.\"},\"index\":0,\"finish_reason\":\"length\"}],"
                      "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12,\"completion_tokens_details\":{\"reasoning_tokens\":3}}}");
        QCOMPARE(assembler.add("not json"), OpenAiStreamAssembler::ChunkKind::Invalid);
        QCOMPARE(assembler.add("[1,2]"), OpenAiStreamAssembler::ChunkKind::Invalid);
        QCOMPARE(assembler.add(" [DONE] "), OpenAiStreamAssembler::ChunkKind::Done);
        QCOMPARE(assembler.reasoning(), QByteArray("Let me think. More."));
        QCOMPARE(assembler.content(), QByteArray("zero"));
        QCOMPARE(assembler.deliveredChars(), 8);
        QCOMPARE(assembler.finishReason(), QByteArray("length"));
        QCOMPARE(assembler.usage()->reasoningTokens, 3);
        QCOMPARE(assembler.invalidChunkCount(), 2);
        QVERIFY(assembler.sawDone());

        OpenAiStreamAssembler failing;
        failing.add("{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}");
        QCOMPARE(failing.errorMessage(), QStringLiteral("The server had an error while processing your request."));
    }

    void assemblerCapsWhatItKeeps()
    {
        OpenAiStreamAssembler assembler(10);
        assembler.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"12345678\"}}]}");
        assembler.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u00fc\\u00fc\"}}]}");  // 4 bytes; 2 fit
        assembler.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"more\"}}]}");
        QCOMPARE(assembler.content(), QByteArray("12345678\xc3\xbc"));
        QVERIFY(assembler.truncated());
        QCOMPARE(assembler.deliveredChars(), 14);
        QVERIFY(assembler.completionEstimate().textBytes() == 16);

        OpenAiStreamAssembler text;
        text.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ab\\u6771\\u4eac\"}}]}");  // ab東京
        QCOMPARE(text.assembledText(3), QByteArray("ab"));
        QCOMPARE(text.assembledText(5), QByteArray("ab\xe6\x9d\xb1"));
        QCOMPARE(text.assembledText(0), QByteArray());
    }

    void assemblerRecognizesTheUsageOnlyChunk()
    {
        const auto events = parseAll(fixture(QStringLiteral("chat_stream.sse")), {});
        QList<bool> got;
        for (const auto &e : events)
            got << OpenAiStreamAssembler::isUsageOnlyChunk(e.data);
        QCOMPARE(got, (QList<bool>{false, false, false, false, false, true, false}));
        QVERIFY(OpenAiStreamAssembler::isUsageOnlyChunk("{\"usage\":{\"prompt_tokens\":1},\"choices\":[ ]}"));
        QVERIFY(OpenAiStreamAssembler::isUsageOnlyChunk("{\"usage\":{}}"));
        QVERIFY(!OpenAiStreamAssembler::isUsageOnlyChunk("{\"usage\":null,\"choices\":[]}"));
        QVERIFY(!OpenAiStreamAssembler::isUsageOnlyChunk("{\"usage\":{},\"choices\":[{}]}"));
    }

    // ---- TokenEstimator ----------------------------------------------------

    void estimatorFollowsItsRule_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("tokens");
        QTest::newRow("empty") << QByteArray() << qint64(0);
        QTest::newRow("one letter") << QByteArray("a") << qint64(1);
        QTest::newRow("four letters") << QByteArray("abcd") << qint64(1);
        QTest::newRow("five letters") << QByteArray("abcde") << qint64(2);
        QTest::newRow("digits") << QByteArray("12345678") << qint64(4);
        QTest::newRow("punctuation") << QByteArray("{};:") << qint64(4);
        QTest::newRow("prose") << QByteArray("The quick brown fox jumps over the lazy dog.") << qint64(12);
        QTest::newRow("two-byte") << QByteArray("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82") << qint64(6);  // Привет
        QTest::newRow("CJK") << QByteArray("\xe6\x9d\xb1\xe4\xba\xac") << qint64(3);                            // 東京
        QTest::newRow("emoji") << QByteArray("\xf0\x9f\x8e\x89") << qint64(3);
        QTest::newRow("case change") << QByteArray("aB") << qint64(2);     // 2 + 2 + 8 eighths
        QTest::newRow("capitalized") << QByteArray("Ab") << qint64(1);     // no change charged
        QTest::newRow("letter digit") << QByteArray("a1b") << qint64(3);   // 2 + 6+4 + 6+2
    }

    void estimatorFollowsItsRule()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, tokens);
        QCOMPARE(TokenEstimator::estimate(text), tokens);
    }

    void estimatorAddsOverheads()
    {
        TokenEstimator e;
        QCOMPARE(e.tokens(), 0);
        e.addMessage();
        e.addText("abcd");
        QCOMPARE(e.tokens(), 1 + TokenEstimator::PerMessageTokens + TokenEstimator::ReplyPrimingTokens);
        e.addImage();
        e.addTokens(10);
        QCOMPARE(e.tokens(), 1 + 10 + TokenEstimator::PerMessageTokens + TokenEstimator::ReplyPrimingTokens
                                 + TokenEstimator::PerImageTokens);
        QCOMPARE(e.characters(), 4);
        // pieces add up before rounding, as a stream's deltas do
        TokenEstimator pieces;
        for (int i = 0; i < 8; ++i)
            pieces.addText("a");
        QCOMPARE(pieces.tokens(), 2);
        TokenEstimator merged;
        merged.merge(e);
        merged.merge(pieces);
        QCOMPARE(merged.tokens(), e.tokens() + 2);
    }

    void estimatorIsGenerousOnTypicalText()
    {
        // Real counts, taken with gpt-tokenizer 4.0.0 (cl100k_base and
        // o200k_base): the estimate must not fall more than 10% below the
        // larger of the two.
        struct Sample
        {
            const char *text;
            qint64 cl100k;
            qint64 o200k;
        };
        const Sample samples[] = {
            {"Hello, how are you doing today? I hope everything is going well.", 15, 15},
            {"for (int i = 0; i < n; ++i) { sum += values[i] * 2; }", 26, 26},
            {"{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": \"celsius\"}}", 23, 23},
            {"https://example.com/api/v1/users/12345?include=profile&sort=desc", 19, 19},
            {"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", 53, 52},
            {"sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcDeFgHiJkLmNoPqRsT", 45, 34},
            {"\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1 \xcf\x83\xce\xb1\xcf\x82! \xce\xa0\xcf\x8e\xcf\x82 "
             "\xce\xb5\xce\xaf\xcf\x83\xcf\x84\xce\xb5 \xcf\x83\xce\xae\xce\xbc\xce\xb5\xcf\x81\xce\xb1;", 30, 12},  // Greek
            {"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d! \xd7\x9e\xd7\x94 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9e\xd7\x9a \xd7\x94\xd7\x99\xd7\x95\xd7\x9d?", 18, 8},  // Hebrew
            {"\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x81\xe4\xbb\x8a\xe5\xa4\xa9\xe5\xa4\xa9\xe6\xb0\x94\xe5\xbe\x88\xe5\xa5\xbd\xe3\x80\x82", 12, 7},  // Chinese
            {"\xf0\x9f\x8e\x89\xf0\x9f\x9a\x80\xf0\x9f\x98\x80\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd\xe2\x9d\xa4\xef\xb8\x8f\xf0\x9f\x94\xa5\xe2\x9c\xa8", 22, 11},  // emoji
        };
        for (const Sample &s : samples) {
            const qint64 estimate = TokenEstimator::estimate(s.text);
            const qint64 real = std::max(s.cl100k, s.o200k);
            QVERIFY2(estimate * 10 >= real * 9,
                     qPrintable(QStringLiteral("%1: %2 < %3").arg(QString::fromUtf8(s.text)).arg(estimate).arg(real)));
            QVERIFY2(estimate <= real * 3, qPrintable(QString::fromUtf8(s.text)));
        }
    }

    // ---- OpenAiResponseRewriter --------------------------------------------

    void rewriterReplacesTheModel()
    {
        const QByteArray body = fixture(QStringLiteral("chat_completion.json"));
        QByteArray out;
        QVERIFY(OpenAiResponseRewriter::rewriteModel(body, u"acme/gpt-4o", &out));
        QByteArray expected = body;
        expected.replace("\"model\": \"gpt-4o-2024-08-06\"", "\"model\": \"acme/gpt-4o\"");
        QCOMPARE(out, expected);
        QVERIFY(!OpenAiResponseRewriter::rewriteModel(out, u"acme/gpt-4o", &out));  // already the public id

        QVERIFY(!OpenAiResponseRewriter::rewriteModel("{\"id\":\"x\",\"choices\":[]}", u"m", &out));
        QVERIFY(!OpenAiResponseRewriter::rewriteModel("[{\"model\":\"x\"}]", u"m", &out));
        QVERIFY(!OpenAiResponseRewriter::rewriteModel("garbage", u"m", &out));
        QVERIFY(!OpenAiResponseRewriter::rewriteModel("{\"choices\":[{\"model\":\"nested\"}]}", u"m", &out));
        QVERIFY(OpenAiResponseRewriter::rewriteModel("{\"mod\\u0065l\":\"x\"}", u"m", &out));
        QCOMPARE(out, QByteArray("{\"mod\\u0065l\":\"m\"}"));
        QVERIFY(OpenAiResponseRewriter::rewriteModel("{\"model\":\"m\",\"model\":\"x\"}", u"m", &out));
        QCOMPARE(out, QByteArray("{\"model\":\"m\"}"));

        const QByteArray shared = "{\"id\":\"a\"}";
        QCOMPARE(OpenAiResponseRewriter::replaceModel(shared, u"m").constData(), shared.constData());
        QCOMPARE(OpenAiResponseRewriter::replaceModel("{\"model\":\"x\",\"id\":1}", u"m"), QByteArray("{\"model\":\"m\",\"id\":1}"));
    }

    void rewriterRewritesEvents()
    {
        const auto events = parseAll(fixture(QStringLiteral("chat_stream.sse")), {});
        for (const auto &event : events) {
            QByteArray raw;
            const bool changed = OpenAiResponseRewriter::rewriteEvent(event, u"acme/mini", &raw);
            QCOMPARE(changed, !event.isDone());
            if (!changed)
                continue;
            QByteArray expected = event.raw;
            expected.replace("\"model\":\"gpt-4o-mini-2024-07-18\"", "\"model\":\"acme/mini\"");
            QCOMPARE(raw, expected);
        }

        SseEventParser parser;
        const auto multi = parser.feed("id: 9\r\nevent: chunk\r\ndata: {\"model\": \"x\",\r\ndata:  \"n\": 1}\r\n\r\n");
        QCOMPARE(multi.size(), 1);
        QByteArray raw;
        QVERIFY(OpenAiResponseRewriter::rewriteEvent(multi.first(), u"m", &raw));
        QCOMPARE(raw, QByteArray("id: 9\nevent: chunk\ndata: {\"model\": \"m\",\ndata:  \"n\": 1}\n\n"));
        const auto reparsed = SseEventParser().feed(raw);
        QCOMPARE(reparsed.size(), 1);
        QCOMPARE(reparsed.first().data, QByteArray("{\"model\": \"m\",\n \"n\": 1}"));
    }

    void rewriterDropsNullUsage()
    {
        QCOMPARE(OpenAiResponseRewriter::removeNullUsage("{\"id\":\"a\",\"choices\":[],\"usage\":null}"),
                 QByteArray("{\"id\":\"a\",\"choices\":[]}"));
        QCOMPARE(OpenAiResponseRewriter::removeNullUsage("{\"usage\":null,\"id\":\"a\"}"), QByteArray("{\"id\":\"a\"}"));
        const QByteArray withUsage = "{\"usage\":{\"prompt_tokens\":1}}";
        QCOMPARE(OpenAiResponseRewriter::removeNullUsage(withUsage), withUsage);
        QCOMPARE(OpenAiResponseRewriter::removeNullUsage("{\"id\":\"a\"}"), QByteArray("{\"id\":\"a\"}"));
    }

    void chunkEditsFromTheAssemblersParseMatchTheirOwnScan()
    {
        using Edit = OpenAiResponseRewriter::ChunkEdit;
        const QByteArray quoted = "\"acme/mini\"";
        struct Case
        {
            QByteArray data;
            bool callerWithoutUsage;
            Edit edit;
            QByteArray out;
        };
        const QList<Case> cases = {
            {"{\"id\":\"c\",\"model\":\"up\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}", false, Edit::Edited,
             "{\"id\":\"c\",\"model\":\"acme/mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}"},
            {"{\"model\":\"acme/mini\",\"choices\":[]}", false, Edit::Keep, {}},
            {"{\"model\":\"up\",\"choices\":[],\"usage\":null}", true, Edit::Edited, "{\"model\":\"acme/mini\",\"choices\":[]}"},
            {"{\"model\":\"up\",\"choices\":[],\"usage\":null}", false, Edit::Edited,
             "{\"model\":\"acme/mini\",\"choices\":[],\"usage\":null}"},
            {"{\"model\":\"up\",\"choices\":[],\"usage\":{\"prompt_tokens\":1}}", true, Edit::Drop, {}},
            {"{\"model\":\"up\",\"choices\":[ ],\"usage\":{\"prompt_tokens\":1}}", false, Edit::Edited,
             "{\"model\":\"acme/mini\",\"choices\":[ ],\"usage\":{\"prompt_tokens\":1}}"},
            {"{\"mod\\u0065l\":\"up\",\"choices\":[]}", false, Edit::Edited, "{\"mod\\u0065l\":\"acme/mini\",\"choices\":[]}"},
            {"{\"model\":\"a\",\"model\":\"acme/mini\"}", false, Edit::Edited, {}},
            {"{\"choices\":[{\"delta\":{}}]}", true, Edit::Keep, {}},
        };
        for (const Case &c : cases) {
            QByteArray scanned;
            const Edit own = OpenAiResponseRewriter::editChunk(c.data, quoted, c.callerWithoutUsage, &scanned);
            OpenAiStreamAssembler assembler;
            std::optional<JsonObjectLayout> layout;
            QCOMPARE(assembler.add(c.data, &layout), OpenAiStreamAssembler::ChunkKind::Chunk);
            QVERIFY2(layout.has_value(), c.data.constData());
            QByteArray reused;
            const Edit fromLayout = OpenAiResponseRewriter::editChunk(c.data, *layout, quoted, c.callerWithoutUsage, &reused);
            QCOMPARE(own, c.edit);
            QCOMPARE(fromLayout, c.edit);
            if (c.edit == Edit::Edited) {
                QCOMPARE(reused, scanned);
                if (!c.out.isEmpty())
                    QCOMPARE(reused, c.out);
            }
        }
        // Whitespace around the data, or no object: no layout handed out.
        OpenAiStreamAssembler assembler;
        std::optional<JsonObjectLayout> layout;
        QCOMPARE(assembler.add(" {\"model\":\"up\"}\n", &layout), OpenAiStreamAssembler::ChunkKind::Chunk);
        QVERIFY(!layout);
        QCOMPARE(assembler.add("{\"model\":\"up\"} {}", &layout), OpenAiStreamAssembler::ChunkKind::Invalid);
        QVERIFY(!layout);
        QCOMPARE(assembler.add("[1]", &layout), OpenAiStreamAssembler::ChunkKind::Invalid);
        QVERIFY(!layout);
        QCOMPARE(assembler.model(), QStringLiteral("up"));
    }

    void imagesAnswersAreCountedWithoutReadingTheImages()
    {
        const QByteArray big(3 * 1024 * 1024, 'A');
        const QByteArray answer = QByteArray("{\"created\":1,\"data\":[{\"b64_json\":\"") + big
                                  + QByteArray("\"},{\"url\":\"u\"}],\"usage\":{\"input_tokens\":12,\"output_tokens\":4160,"
                                               "\"total_tokens\":4172}}");
        const auto two = OpenAiImagesAnswer::read(answer);
        QVERIFY(two);
        QCOMPARE(two->images, 2);
        QCOMPARE(two->inputTokens, std::optional<qint64>(12));
        QCOMPARE(two->outputTokens, std::optional<qint64>(4160));
        const auto plain = OpenAiImagesAnswer::read("{\"data\":[{\"url\":\"u\"}],\"usage\":null}");
        QVERIFY(plain);
        QCOMPARE(plain->images, 1);
        QVERIFY(!plain->inputTokens && !plain->outputTokens);
        QVERIFY(!OpenAiImagesAnswer::read("{\"created\":1}"));
        QVERIFY(!OpenAiImagesAnswer::read("{\"data\":{}}"));
        QVERIFY(!OpenAiImagesAnswer::read("[1]"));
        QVERIFY(!OpenAiImagesAnswer::read("{\"data\":[1,"));
        QCOMPARE(OpenAiImagesAnswer::read("{\"data\":[],\"usage\":{\"input_tokens\":-3}}")->images, 0);
        QVERIFY(!OpenAiImagesAnswer::read("{\"data\":[],\"usage\":{\"input_tokens\":-3}}")->inputTokens);
    }

    void responseSideSurvivesHostileInput()
    {
        const QList<QByteArray> bodies = {
            QByteArray(), QByteArray("{"), QByteArray("}"), QByteArray("{\"model\":"), QByteArray("{\"model\":\"x\""),
            QByteArray("{\"model\":\"x\",}"), QByteArray(100000, '{'), "{\"a\":" + QByteArray(50000, '[') + "}",
            QByteArray("{\"model\":\"\xff\"}"), QByteArray("{\"model\":NaN}"), QByteArray("{\"usage\":{\"prompt_tokens\":1e400}}"),
            "{\"choices\":[{\"delta\":{\"tool_calls\":[" + repeated("{\"index\":999999,\"function\":{\"arguments\":\"x\"}},", 2000)
                + "{}]}}]}",
        };
        for (const QByteArray &body : bodies) {
            QByteArray out;
            OpenAiResponseRewriter::rewriteModel(body, u"m", &out);
            OpenAiResponseRewriter::removeNullUsage(body);
            OpenAiResponseInfo::read(body);
            OpenAiStreamAssembler assembler;
            assembler.add(body);
            std::optional<JsonObjectLayout> layout;
            if (assembler.add(body, &layout) == OpenAiStreamAssembler::ChunkKind::Chunk && layout) {
                QByteArray edited;
                OpenAiResponseRewriter::editChunk(body, *layout, "\"m\"", true, &edited);
            }
            OpenAiStreamAssembler::isUsageOnlyChunk(body);
            JsonObjectLayout::scan(body, false);
            JsonObjectLayout::scan(body, true);
            JsonBodyEditor editor{QByteArrayView(body)};
            editor.setString("model", u"m");
            editor.requestStreamUsage();
            editor.result();
        }
        // many distinct tool call indexes: kept up to the cap, estimated beyond
        OpenAiStreamAssembler assembler;
        for (int i = 0; i < 400; ++i)
            assembler.add(QByteArray("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + QByteArray::number(i)
                                     + ",\"function\":{\"arguments\":\"x\"}}]}}]}"));
        QCOMPARE(assembler.toolCalls().size(), OpenAiStreamAssembler::MaxToolCalls);
        QVERIFY(assembler.truncated());
        QCOMPARE(assembler.completionEstimate().textBytes(), 400);
    }
};

QTEST_GUILESS_MAIN(TestOpenAiCodec)
#include "tst_openaicodec.moc"
