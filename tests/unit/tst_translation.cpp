#include "api/openai/sseeventparser.h"
#include "translate/chatcodec.h"
#include "translate/dataurl.h"
#include "translate/stopreasons.h"
#include "translate/toolcallids.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace gw;
using namespace Qt::StringLiterals;

// The translation layer against fixtures/translate/<case>/: every case holds
// one conversation in each family's shape, and every ordered pair of families
// whose codec is registered is checked (see fixtures/translate/README.md).
// Fixtures live in files: moc cannot read raw string literals that span lines.

namespace {

struct Family
{
    QString name;
    ApiFamily family;
};

const QList<Family> &families()
{
    static const QList<Family> list{
        {u"openai"_s, ApiFamily::OpenAI},
        {u"anthropic"_s, ApiFamily::Anthropic},
        {u"gemini"_s, ApiFamily::Gemini},
    };
    return list;
}

const ChatCodec *codecNamed(const QString &name)
{
    for (const Family &f : families()) {
        if (f.name == name)
            return ChatCodec::forFamily(f.family);
    }
    return nullptr;
}

QString fixtureRoot()
{
    const QString dir = QFINDTESTDATA("fixtures/translate");
    if (dir.isEmpty())
        qFatal("fixtures/translate not found");
    return dir;
}

QStringList caseNames()
{
    return QDir(fixtureRoot()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

QString casePath(const QString &caseName, const QString &file)
{
    return fixtureRoot() + u'/' + caseName + u'/' + file;
}

bool exists(const QString &caseName, const QString &file)
{
    return QFile::exists(casePath(caseName, file));
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

QByteArray readCase(const QString &caseName, const QString &file)
{
    return readFile(casePath(caseName, file));
}

QString extensionOf(const QString &kind)
{
    return kind == "stream"_L1 ? u"sse"_s : u"json"_s;
}

// The file a translation from `from` to `to` must give: the pair's own file
// when the case has one, else the canonical file of `to`.
QString expectedFile(const QString &caseName, const QString &kind, const QString &from, const QString &to)
{
    const QString ext = extensionOf(kind);
    const QString pair = u"%1.%2-to-%3.%4"_s.arg(kind, from, to, ext);
    if (exists(caseName, pair))
        return pair;
    const QString canonical = u"%1.%2.%3"_s.arg(kind, to, ext);
    return exists(caseName, canonical) ? canonical : QString();
}

QString refusedFile(const QString &from, const QString &to)
{
    return u"refused.%1-to-%2.txt"_s.arg(from, to);
}

// Every (case, from, to) to check for one kind, as QTest rows.
void addRows(const QString &kind)
{
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    for (const QString &caseName : caseNames()) {
        for (const Family &from : families()) {
            if (!codecNamed(from.name) || !exists(caseName, u"%1.%2.%3"_s.arg(kind, from.name, extensionOf(kind))))
                continue;
            for (const Family &to : families()) {
                if (!codecNamed(to.name))
                    continue;
                const bool refused = kind == "request"_L1 && exists(caseName, refusedFile(from.name, to.name));
                if (!refused && expectedFile(caseName, kind, from.name, to.name).isEmpty())
                    continue;
                QTest::addRow("%s %s->%s", qPrintable(caseName), qPrintable(from.name), qPrintable(to.name))
                    << caseName << from.name << to.name;
            }
        }
    }
}

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    return doc.object();
}

// Where the expected output names the model the translation was given (the
// upstream model of a request, the caller's model of an answer): "model",
// Anthropic's message_start "message.model", or Gemini's "modelVersion".
QString modelIn(const QJsonObject &object)
{
    if (object.value("model"_L1).isString())
        return object.value("model"_L1).toString();
    if (object.value("message"_L1).toObject().value("model"_L1).isString())
        return object.value("message"_L1).toObject().value("model"_L1).toString();
    return object.value("modelVersion"_L1).toString();
}

QString fallbackModel(const QString &caseName, const QString &to)
{
    const QString file = u"model.%1.txt"_s.arg(to);
    return exists(caseName, file) ? QString::fromUtf8(readCase(caseName, file)).trimmed() : u"test-model"_s;
}

// "created" is the time of the answer: a family that sends none (Anthropic)
// gets the current time in translation, so across families only its
// presence is compared.
QJsonObject normalized(QJsonObject object, bool crossFamily)
{
    if (crossFamily && object.contains("created"_L1))
        object.insert(u"created"_s, 0);
    return object;
}

QString pretty(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

// A stream as the list of its events: "event-name data" per line, the data
// as canonical JSON (sorted keys) when it is JSON.
QStringList streamEvents(const QByteArray &bytes, bool crossFamily, QString *model = nullptr)
{
    SseEventParser parser;
    QString error;
    QList<SseEventParser::Event> events = parser.feed(bytes, &error);
    events += parser.finish(&error);
    QStringList out;
    if (!error.isEmpty())
        out.append(u"<malformed: %1>"_s.arg(error));
    for (const SseEventParser::Event &event : std::as_const(events)) {
        if (!event.hasData)
            continue;
        QString data = QString::fromUtf8(event.data);
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(event.data, &parseError);
        if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
            if (model && model->isEmpty())
                *model = modelIn(doc.object());
            data = QString::fromUtf8(QJsonDocument(normalized(doc.object(), crossFamily)).toJson(QJsonDocument::Compact));
        }
        out.append(QString::fromUtf8(event.event.isEmpty() ? QByteArray("message") : event.event) + u' ' + data);
    }
    return out;
}

// Checks the event order chatir.h promises; returns what is wrong, if anything.
QString contractViolation(const QList<ir::StreamEvent> &events)
{
    using K = ir::StreamEvent::Kind;
    int nextBlock = 0;
    int open = -1;
    ir::ContentPart::Kind openKind = ir::ContentPart::Kind::Text;
    bool started = false;
    bool finished = false;
    bool over = false;
    for (qsizetype i = 0; i < events.size(); ++i) {
        const ir::StreamEvent &e = events.at(i);
        const QString at = u"event %1: "_s.arg(i);
        if (over)
            return at + u"after End or Error"_s;
        if (!started && e.kind != K::Start && e.kind != K::Error)
            return at + u"before Start"_s;
        switch (e.kind) {
        case K::Start:
            if (started)
                return at + u"a second Start"_s;
            started = true;
            break;
        case K::BlockStart:
            if (finished || open >= 0 || e.index != nextBlock)
                return at + u"BlockStart %1 out of order"_s.arg(e.index);
            open = nextBlock++;
            openKind = e.part.kind;
            break;
        case K::TextDelta:
            if (e.index != open || (openKind != ir::ContentPart::Kind::Text && openKind != ir::ContentPart::Kind::Thinking))
                return at + u"TextDelta outside an open text block"_s;
            break;
        case K::ArgumentsDelta:
            if (e.index != open || openKind != ir::ContentPart::Kind::ToolCall)
                return at + u"ArgumentsDelta outside an open tool call block"_s;
            break;
        case K::BlockStop:
            if (e.index != open)
                return at + u"BlockStop of a block that is not open"_s;
            open = -1;
            break;
        case K::Finish:
            if (finished || open >= 0)
                return at + u"Finish with a block open or twice"_s;
            finished = true;
            break;
        case K::Usage:
            if (!finished)
                return at + u"Usage before Finish"_s;
            break;
        case K::End:
            if (!finished)
                return at + u"End before Finish"_s;
            over = true;
            break;
        case K::Error:
            over = true;
            break;
        }
    }
    return {};
}

bool hasEnd(const QList<ir::StreamEvent> &events)
{
    return std::any_of(events.begin(), events.end(),
                       [](const ir::StreamEvent &e) { return e.kind == ir::StreamEvent::Kind::End; });
}

// Decodes `bytes` fed in pieces of `piece` bytes (0: all at once).
QList<ir::StreamEvent> decodeStream(const ChatCodec &codec, const QByteArray &bytes, qsizetype piece, bool *complete,
                                    QString *error)
{
    auto decoder = codec.streamDecoder();
    QList<ir::StreamEvent> events;
    const qsizetype step = piece > 0 ? piece : std::max<qsizetype>(1, bytes.size());
    for (qsizetype at = 0; at < bytes.size(); at += step)
        events += decoder->feed(QByteArrayView(bytes).sliced(at, std::min(step, bytes.size() - at)), error);
    events += decoder->finish(complete, error);
    return events;
}

ir::StreamEvent makeEvent(ir::StreamEvent::Kind kind, int index = 0)
{
    ir::StreamEvent e;
    e.kind = kind;
    e.index = index;
    return e;
}

} // namespace

class TranslationTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixtureLayout();
    void codecsRegistered();
    void requests_data() { addRows(u"request"_s); }
    void requests();
    void responses_data() { addRows(u"response"_s); }
    void responses();
    void streams_data() { addRows(u"stream"_s); }
    void streams();

    void decodeErrorsNameTheField_data();
    void decodeErrorsNameTheField();
    void untranslatableFieldsAreNamed_data();
    void untranslatableFieldsAreNamed();
    void encodeRefusals_data();
    void encodeRefusals();
    void decodeErrorMessage();
    void requestDetails();
    void dataUrls();
    void stopReasons();
    void toolCallIdsAreFilledAndPaired();
    void usageArithmetic();
    void openAiStreamWithoutUsageRequested();
    void malformedStreams();
    void incompleteStreams();
    void streamEncodersSynthesiseIds();
};

void TranslationTest::fixtureLayout()
{
    // A misspelt file name would silently drop its checks: every file must be
    // one the layout knows, and every case must give at least one check.
    QStringList names;
    for (const Family &f : families())
        names.append(f.name);
    const QString family = u"(%1)"_s.arg(names.join(u'|'));
    const QRegularExpression known(u"^(?:(?:request|response)\\.%1(?:-to-%1)?\\.json|stream\\.%1(?:-to-%1)?\\.sse"
                                   u"|refused\\.%1-to-%1\\.txt|model\\.%1\\.txt)$"_s.arg(family));
    const QStringList cases = caseNames();
    QVERIFY(cases.size() >= 20);
    for (const QString &caseName : cases) {
        const QStringList files = QDir(fixtureRoot() + u'/' + caseName).entryList(QDir::Files);
        QVERIFY2(!files.isEmpty(), qPrintable(caseName));
        bool hasSource = false;
        for (const QString &file : files) {
            QVERIFY2(known.match(file).hasMatch(), qPrintable(caseName + u'/' + file));
            if (!file.contains("-to-"_L1) && !file.startsWith("refused"_L1) && !file.startsWith("model"_L1))
                hasSource = true;
            if (file.endsWith(".json"_L1))
                QVERIFY2(!parseObject(readCase(caseName, file)).isEmpty(), qPrintable(caseName + u'/' + file));
        }
        QVERIFY2(hasSource, qPrintable(caseName + u": no request, response or stream to translate"_s));
    }
    QVERIFY(QFile::exists(fixtureRoot() + u"/README.md"_s));
}

void TranslationTest::codecsRegistered()
{
    QVERIFY(ChatCodec::forFamily(ApiFamily::OpenAI));
    QVERIFY(ChatCodec::forFamily(ApiFamily::Anthropic));
    QCOMPARE(ChatCodec::forFamily(ApiFamily::OpenAI), ChatCodec::forFamily(ApiFamily::OpenAI));
    QVERIFY(ChatCodec::forFamily(ApiFamily::OpenAI) != ChatCodec::forFamily(ApiFamily::Anthropic));
    QCOMPARE(ChatCodec::forFamily(ApiFamily::Tasks), nullptr);
    QCOMPARE(ChatCodec::forFamily(ApiFamily::Admin), nullptr);
    QCOMPARE(ChatCodec::forFamily(ApiFamily::Operations), nullptr);
}

void TranslationTest::requests()
{
    QFETCH(QString, caseName);
    QFETCH(QString, from);
    QFETCH(QString, to);
    const ChatCodec *decoder = codecNamed(from);
    const ChatCodec *encoder = codecNamed(to);
    QVERIFY(decoder && encoder);

    ChatCodec::Error error;
    const auto request = decoder->decodeRequest(readCase(caseName, u"request.%1.json"_s.arg(from)), &error);
    const QString refused = refusedFile(from, to);
    if (exists(caseName, refused)) {
        const QString expected = QString::fromUtf8(readCase(caseName, refused)).trimmed();
        QVERIFY(!expected.isEmpty());
        // What the relay does: a decode error, an untranslatable field, or
        // an encode error is a 400.
        QString message;
        if (!request) {
            message = error.message;
        } else if (from != to && !request->untranslatable.isEmpty()) {
            message = u"cannot be translated: "_s + request->untranslatable.join(u", "_s);
        } else {
            const auto body = encoder->encodeRequest(*request, u"upstream-model"_s, &error);
            QVERIFY2(!body, body ? body->constData() : "");
            message = error.message;
        }
        QVERIFY2(message.contains(expected), qPrintable(u"refused with \"%1\", expected \"%2\""_s.arg(message, expected)));
        return;
    }
    QVERIFY2(request, qPrintable(error.param + u": "_s + error.message));
    if (from != to)
        QVERIFY2(request->untranslatable.isEmpty(), qPrintable(request->untranslatable.join(u", "_s)));

    const QString expectedName = expectedFile(caseName, u"request"_s, from, to);
    const QJsonObject expected = parseObject(readCase(caseName, expectedName));
    QVERIFY2(!expected.isEmpty(), qPrintable(expectedName));
    QString model = modelIn(expected);
    if (model.isEmpty())
        model = fallbackModel(caseName, to);
    const auto body = encoder->encodeRequest(*request, model, &error);
    QVERIFY2(body, qPrintable(error.param + u": "_s + error.message));
    const QJsonObject actual = parseObject(*body);
    QVERIFY2(!actual.isEmpty(), body->constData());
    QCOMPARE(pretty(actual), pretty(expected));
}

void TranslationTest::responses()
{
    QFETCH(QString, caseName);
    QFETCH(QString, from);
    QFETCH(QString, to);
    const auto response = codecNamed(from)->decodeResponse(readCase(caseName, u"response.%1.json"_s.arg(from)));
    QVERIFY(response);
    const QString expectedName = expectedFile(caseName, u"response"_s, from, to);
    const QJsonObject expected = parseObject(readCase(caseName, expectedName));
    QVERIFY2(!expected.isEmpty(), qPrintable(expectedName));
    QString model = modelIn(expected);
    if (model.isEmpty())
        model = fallbackModel(caseName, to);
    const QJsonObject actual = parseObject(codecNamed(to)->encodeResponse(*response, model));
    QVERIFY(!actual.isEmpty());
    QCOMPARE(pretty(normalized(actual, from != to)), pretty(normalized(expected, from != to)));
}

void TranslationTest::streams()
{
    QFETCH(QString, caseName);
    QFETCH(QString, from);
    QFETCH(QString, to);
    const QByteArray input = readCase(caseName, u"stream.%1.sse"_s.arg(from));
    const QString expectedName = expectedFile(caseName, u"stream"_s, from, to);
    const QByteArray expectedBytes = readCase(caseName, expectedName);
    QString model;
    const QStringList expected = streamEvents(expectedBytes, from != to, &model);
    QVERIFY(!expected.isEmpty());
    if (model.isEmpty())
        model = fallbackModel(caseName, to);
    // The caller asked for usage in the stream when the expected one has it.
    const bool includeUsage = expectedBytes.contains("\"usage\"");

    QList<ir::StreamEvent> whole;
    for (const qsizetype piece : {qsizetype(0), qsizetype(1), qsizetype(7)}) {
        bool complete = false;
        QString error;
        const QList<ir::StreamEvent> events = decodeStream(*codecNamed(from), input, piece, &complete, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString violation = contractViolation(events);
        QVERIFY2(violation.isEmpty(), qPrintable(violation));
        QCOMPARE(complete, hasEnd(events));
        if (piece == 0)
            whole = events;
        else
            QCOMPARE(events.size(), whole.size());

        auto encoder = codecNamed(to)->streamEncoder(model, includeUsage, true);
        QByteArray output;
        for (const ir::StreamEvent &event : events)
            output += encoder->encode(event);
        const QStringList actual = streamEvents(output, from != to);
        QCOMPARE(actual.join(u'\n'), expected.join(u'\n'));
    }
}

void TranslationTest::decodeErrorsNameTheField_data()
{
    QTest::addColumn<QString>("family");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("expected");

    const QByteArray oaHead = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}";
    QTest::newRow("openai content type")
        << u"openai"_s
        << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                      "{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":5}]}")
        << u"messages[2].content"_s << u"a string or an array"_s;
    QTest::newRow("openai temperature") << u"openai"_s << oaHead + "],\"temperature\":\"hot\"}" << u"temperature"_s
                                        << u"a number"_s;
    QTest::newRow("openai messages") << u"openai"_s << QByteArray("{\"model\":\"m\",\"messages\":{}}") << u"messages"_s
                                     << u"an array"_s;
    QTest::newRow("openai model missing") << u"openai"_s << QByteArray("{\"messages\":[]}") << u"model"_s << u"Missing"_s;
    QTest::newRow("openai max_tokens fraction") << u"openai"_s << oaHead + "],\"max_tokens\":1.5}" << u"max_tokens"_s
                                                << u"an integer"_s;
    QTest::newRow("openai stop item") << u"openai"_s << oaHead + "],\"stop\":[\"x\",1]}" << u"stop[1]"_s << u"a string"_s;
    QTest::newRow("openai arguments")
        << u"openai"_s
        << oaHead + ",{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                    "\"arguments\":{}}}]}]}"
        << u"messages[1].tool_calls[0].function.arguments"_s << u"a string"_s;
    QTest::newRow("openai tool parameters")
        << u"openai"_s << oaHead + "],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":\"x\"}}]}"
        << u"tools[0].function.parameters"_s << u"an object"_s;
    QTest::newRow("openai image url")
        << u"openai"_s
        << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                      "{\"type\":\"image_url\",\"image_url\":{\"url\":5}}]}]}")
        << u"messages[0].content[1].image_url.url"_s << u"a string"_s;
    QTest::newRow("openai data url")
        << u"openai"_s
        << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                      "\"image_url\":{\"url\":\"data:image/png,rawbytes\"}}]}]}")
        << u"messages[0].content[0].image_url.url"_s << u"base64"_s;
    QTest::newRow("openai role") << u"openai"_s << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"a\"}]}")
                                 << u"messages[0].role"_s << u"robot"_s;
    QTest::newRow("openai include_usage") << u"openai"_s << oaHead + "],\"stream_options\":{\"include_usage\":\"yes\"}}"
                                          << u"stream_options.include_usage"_s << u"a boolean"_s;
    QTest::newRow("openai tool_call_id")
        << u"openai"_s << oaHead + ",{\"role\":\"tool\",\"content\":\"x\"}]}" << u"messages[1].tool_call_id"_s << u"Missing"_s;
    QTest::newRow("openai tool_choice") << u"openai"_s << oaHead + "],\"tool_choice\":\"sometimes\"}" << u"tool_choice"_s
                                        << u"sometimes"_s;
    QTest::newRow("openai n") << u"openai"_s << oaHead + "],\"n\":0}" << u"n"_s << u"from 1"_s;
    QTest::newRow("openai not an object") << u"openai"_s << QByteArray("[1,2]") << QString() << u"JSON object"_s;

    const QByteArray anHead = "{\"model\":\"claude\",\"max_tokens\":10,";
    QTest::newRow("anthropic image data")
        << u"anthropic"_s
        << anHead + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image\","
                    "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":5}}]}]}"
        << u"messages[0].content[1].source.data"_s << u"a string"_s;
    QTest::newRow("anthropic system") << u"anthropic"_s << anHead + "\"system\":5,\"messages\":[]}" << u"system"_s
                                      << u"a string or an array"_s;
    QTest::newRow("anthropic tool_choice type")
        << u"anthropic"_s << anHead + "\"messages\":[],\"tool_choice\":{\"name\":\"f\"}}" << u"tool_choice.type"_s
        << u"Missing"_s;
    QTest::newRow("anthropic max_tokens") << u"anthropic"_s
                                          << QByteArray("{\"model\":\"c\",\"max_tokens\":\"many\",\"messages\":[]}")
                                          << u"max_tokens"_s << u"an integer"_s;
    QTest::newRow("anthropic is_error")
        << u"anthropic"_s
        << anHead + "\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":[{\"type\":"
                    "\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":"
                    "\"tool_result\",\"tool_use_id\":\"t\",\"is_error\":\"yes\"}]}]}"
        << u"messages[2].content[0].is_error"_s << u"a boolean"_s;
    QTest::newRow("anthropic tool input")
        << u"anthropic"_s
        << anHead + "\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\","
                    "\"input\":[1]}]}]}"
        << u"messages[0].content[0].input"_s << u"an object"_s;
    QTest::newRow("anthropic user_id") << u"anthropic"_s << anHead + "\"messages\":[],\"metadata\":{\"user_id\":5}}"
                                       << u"metadata.user_id"_s << u"a string"_s;
    QTest::newRow("anthropic stop_sequences") << u"anthropic"_s << anHead + "\"messages\":[],\"stop_sequences\":[\"a\",3]}"
                                              << u"stop_sequences[1]"_s << u"a string"_s;
    QTest::newRow("anthropic role") << u"anthropic"_s
                                    << anHead + "\"messages\":[{\"role\":\"system\",\"content\":\"a\"}]}"
                                    << u"messages[0].role"_s << u"'user' or 'assistant'"_s;
    QTest::newRow("anthropic tool_use in user turn")
        << u"anthropic"_s
        << anHead + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\"}]}]}"
        << u"messages[0].content[0].type"_s << u"not allowed"_s;
    QTest::newRow("anthropic input_schema")
        << u"anthropic"_s << anHead + "\"messages\":[],\"tools\":[{\"name\":\"f\"}]}" << u"tools[0].input_schema"_s
        << u"Missing"_s;
    QTest::newRow("anthropic content block")
        << u"anthropic"_s << anHead + "\"messages\":[{\"role\":\"user\",\"content\":[\"text\"]}]}"
        << u"messages[0].content[0]"_s << u"an object"_s;
}

void TranslationTest::decodeErrorsNameTheField()
{
    QFETCH(QString, family);
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    QFETCH(QString, expected);
    ChatCodec::Error error;
    const auto request = codecNamed(family)->decodeRequest(body, &error);
    QVERIFY(!request);
    QCOMPARE(error.param, param);
    QVERIFY2(error.message.contains(expected), qPrintable(error.message));
    if (!param.isEmpty())
        QVERIFY2(error.message.contains(u'\'' + param + u'\''), qPrintable(error.message));
    // A null Error pointer is allowed.
    QVERIFY(!codecNamed(family)->decodeRequest(body, nullptr));
}

void TranslationTest::untranslatableFieldsAreNamed_data()
{
    QTest::addColumn<QString>("family");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("expected");

    const QByteArray oa = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]";
    QTest::newRow("openai nothing") << u"openai"_s << oa + ",\"logprobs\":false,\"modalities\":[\"text\"],\"logit_bias\":{},"
                                                         "\"service_tier\":\"auto\",\"store\":false,\"metadata\":{\"a\":\"b\"}}"
                                    << QStringList();
    QTest::newRow("openai prediction") << u"openai"_s
                                       << oa + ",\"prediction\":{\"type\":\"content\",\"content\":\"x\"},"
                                               "\"web_search_options\":{},\"reasoning_effort\":\"low\"}"
                                       << QStringList{u"prediction"_s, u"web_search_options"_s, u"reasoning_effort"_s};
    QTest::newRow("openai functions") << u"openai"_s << oa + ",\"functions\":[],\"function_call\":\"auto\"}"
                                      << QStringList{u"functions"_s, u"function_call"_s};
    QTest::newRow("openai file part")
        << u"openai"_s
        << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":"
                      "{\"file_id\":\"file-1\"}}]}]}")
        << QStringList{u"file content"_s};
    QTest::newRow("openai custom tools") << u"openai"_s
                                         << oa + ",\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}]}"
                                         << QStringList{u"custom tools"_s};

    const QByteArray an = "{\"model\":\"claude\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]";
    QTest::newRow("anthropic nothing") << u"anthropic"_s
                                       << an + ",\"thinking\":{\"type\":\"disabled\"},\"service_tier\":\"auto\","
                                               "\"metadata\":{\"user_id\":\"u\"},\"system\":[{\"type\":\"text\",\"text\":\"s\","
                                               "\"cache_control\":{\"type\":\"ephemeral\"}}]}"
                                       << QStringList();
    QTest::newRow("anthropic container") << u"anthropic"_s
                                         << an + ",\"container\":\"c\",\"mcp_servers\":[{\"type\":\"url\",\"url\":\"u\",\"name\":\"n\"}]}"
                                         << QStringList{u"container"_s, u"mcp_servers"_s};
    QTest::newRow("anthropic image file")
        << u"anthropic"_s
        << QByteArray("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":"
                      "{\"type\":\"file\",\"file_id\":\"f\"}}]}]}")
        << QStringList{u"image file sources"_s};
    QTest::newRow("anthropic image in tool result")
        << u"anthropic"_s
        << QByteArray("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                      "\"tool_use_id\":\"t\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"u\"}}]}]}]}")
        << QStringList{u"image content in tool results"_s};
}

void TranslationTest::untranslatableFieldsAreNamed()
{
    QFETCH(QString, family);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, expected);
    ChatCodec::Error error;
    const auto request = codecNamed(family)->decodeRequest(body, &error);
    QVERIFY2(request, qPrintable(error.message));
    QCOMPARE(request->untranslatable, expected);
}

void TranslationTest::encodeRefusals_data()
{
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("what");
    QTest::newRow("anthropic json_object") << u"anthropic"_s << u"response_format"_s << u"no JSON mode"_s << 0;
    QTest::newRow("anthropic n") << u"anthropic"_s << u"n"_s << u"n must be 1"_s << 1;
    QTest::newRow("anthropic seed") << u"anthropic"_s << u"seed"_s << u"do not support seed"_s << 2;
    QTest::newRow("anthropic penalties") << u"anthropic"_s << u"frequency_penalty"_s << u"frequency_penalty"_s << 3;
    QTest::newRow("anthropic arguments") << u"anthropic"_s << u"messages[0]"_s << u"not a JSON object"_s << 4;
    QTest::newRow("openai top_k") << u"openai"_s << u"top_k"_s << u"top_k"_s << 5;
}

void TranslationTest::encodeRefusals()
{
    QFETCH(QString, to);
    QFETCH(QString, param);
    QFETCH(QString, message);
    QFETCH(int, what);
    ir::ChatRequest request;
    request.model = u"m"_s;
    request.messages.append(ir::Message{ir::Role::User, {ir::ContentPart::textPart(u"hi"_s)}});
    switch (what) {
    case 0:
        request.responseFormat = ir::ResponseFormat::JsonObject;
        break;
    case 1:
        request.candidateCount = 2;
        break;
    case 2:
        request.seed = 7;
        break;
    case 3:
        request.frequencyPenalty = 0.5;
        break;
    case 4: {
        ir::ContentPart call;
        call.kind = ir::ContentPart::Kind::ToolCall;
        call.toolCallId = u"call_1"_s;
        call.toolName = u"f"_s;
        call.toolArguments = "{\"truncated\": ";
        request.messages = {ir::Message{ir::Role::Assistant, {call}}};
        break;
    }
    case 5:
        request.topK = 40;
        break;
    }
    ChatCodec::Error error;
    QVERIFY(!codecNamed(to)->encodeRequest(request, u"upstream"_s, &error));
    QCOMPARE(error.param, param);
    QVERIFY2(error.message.contains(message), qPrintable(error.message));
}

void TranslationTest::decodeErrorMessage()
{
    const ChatCodec *openAi = codecNamed(u"openai"_s);
    const ChatCodec *anthropic = codecNamed(u"anthropic"_s);
    QCOMPARE(openAi->decodeErrorMessage(
                 "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"param\":null,"
                 "\"code\":\"invalid_api_key\"}}"),
             u"Incorrect API key provided"_s);
    QCOMPARE(anthropic->decodeErrorMessage(
                 "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},"
                 "\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}"),
             u"Overloaded"_s);
    QCOMPARE(openAi->decodeErrorMessage("{\"id\":\"chatcmpl-1\",\"choices\":[]}"), QString());
    QCOMPARE(openAi->decodeErrorMessage("not json"), QString());
    QCOMPARE(anthropic->decodeErrorMessage("{\"type\":\"message\",\"content\":[]}"), QString());
    QCOMPARE(anthropic->decodeErrorMessage(""), QString());
    // Not an answer: no response to translate.
    QVERIFY(!openAi->decodeResponse("{\"error\":{\"message\":\"x\"}}"));
    QVERIFY(!anthropic->decodeResponse("{\"type\":\"error\",\"error\":{\"message\":\"x\"}}"));
    QVERIFY(!anthropic->decodeResponse("[]"));
}

void TranslationTest::requestDetails()
{
    const ChatCodec *openAi = codecNamed(u"openai"_s);
    ChatCodec::Error error;
    // Tool results carry the name of their call (Gemini pairs them by name);
    // consecutive tool messages make one Tool turn.
    const auto request = openAi->decodeRequest(readCase(u"tool_results_parallel"_s, u"request.openai.json"_s), &error);
    QVERIFY(request);
    QCOMPARE(request->messages.size(), 3);
    QCOMPARE(request->messages.at(2).role, ir::Role::Tool);
    QCOMPARE(request->messages.at(2).parts.size(), 2);
    QCOMPARE(request->messages.at(2).parts.at(0).toolName, u"get_weather"_s);
    QCOMPARE(request->messages.at(2).parts.at(1).toolName, u"get_time"_s);
    QCOMPARE(request->messages.at(1).parts.at(0).toolArguments, QByteArray("{\"location\":\"Paris, France\"}"));

    const auto anthropic = codecNamed(u"anthropic"_s)->decodeRequest(
        readCase(u"tool_result_error"_s, u"request.anthropic.json"_s), &error);
    QVERIFY(anthropic);
    QCOMPARE(anthropic->messages.size(), 4);
    QCOMPARE(anthropic->messages.at(2).role, ir::Role::Tool);
    QVERIFY(anthropic->messages.at(2).parts.at(0).toolError);
    QCOMPARE(anthropic->messages.at(2).parts.at(0).toolName, u"get_weather"_s);
    QCOMPARE(anthropic->messages.at(3).role, ir::Role::User);

    // Signatures and redacted thinking survive a decode.
    const auto thinking = codecNamed(u"anthropic"_s)->decodeRequest(
        readCase(u"thinking_in_history"_s, u"request.anthropic.json"_s), &error);
    QVERIFY(thinking);
    const ir::ContentPart &first = thinking->messages.at(1).parts.at(0);
    QCOMPARE(first.kind, ir::ContentPart::Kind::Thinking);
    QCOMPARE(first.signature, QByteArray("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"));
    QVERIFY(thinking->messages.at(1).parts.at(1).redacted);

    // n > 1 is carried; max_completion_tokens wins over max_tokens whatever the order.
    const auto n = openAi->decodeRequest(
        "{\"max_completion_tokens\":50,\"model\":\"m\",\"n\":3,\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}",
        &error);
    QVERIFY(n);
    QCOMPARE(n->candidateCount, 3);
    QCOMPARE(n->maxTokens, std::optional<qint64>(50));
    // include_usage read from stream_options.
    const auto usage = openAi->decodeRequest(
        "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}", &error);
    QVERIFY(usage);
    QVERIFY(usage->stream);
    QVERIFY(usage->includeUsage);
}

void TranslationTest::dataUrls()
{
    const auto png = DataUrl::parse(u"data:image/png;base64,iVBORw0KGgo="_s);
    QVERIFY(png);
    QCOMPARE(png->mediaType, u"image/png"_s);
    QCOMPARE(png->base64, QByteArray("iVBORw0KGgo="));
    QCOMPARE(DataUrl::make(png->mediaType, png->base64), u"data:image/png;base64,iVBORw0KGgo="_s);
    const auto withParams = DataUrl::parse(u"DATA:Image/JPEG;name=a.jpg;base64,/9j/4AAQ"_s);
    QVERIFY(withParams);
    QCOMPARE(withParams->mediaType, u"image/jpeg"_s);
    QVERIFY(!DataUrl::parse(u"data:image/png,rawbytes"_s));
    QVERIFY(!DataUrl::parse(u"data:;base64,AAAA"_s));
    QVERIFY(!DataUrl::parse(u"data:image/png;base64,"_s));
    QVERIFY(!DataUrl::parse(u"https://example.com/a.png"_s));
    QVERIFY(DataUrl::isDataUrl(u"data:x"_s));
    QVERIFY(!DataUrl::isDataUrl(u"https://example.com/data:x"_s));
}

void TranslationTest::stopReasons()
{
    using R = ir::StopReason;
    QCOMPARE(StopReasons::fromOpenAi(u"stop"_s), R::EndTurn);
    QCOMPARE(StopReasons::fromOpenAi(u"length"_s), R::MaxTokens);
    QCOMPARE(StopReasons::fromOpenAi(u"tool_calls"_s), R::ToolUse);
    QCOMPARE(StopReasons::fromOpenAi(u"function_call"_s), R::ToolUse);
    QCOMPARE(StopReasons::fromOpenAi(u"content_filter"_s), R::ContentFilter);
    QCOMPARE(StopReasons::fromOpenAi(u"something_new"_s), R::Unknown);
    QCOMPARE(StopReasons::toOpenAi(R::StopSequence), u"stop"_s);
    QCOMPARE(StopReasons::toOpenAi(R::Unknown), u"stop"_s);
    QCOMPARE(StopReasons::toOpenAi(R::ContentFilter), u"content_filter"_s);
    QCOMPARE(StopReasons::fromAnthropic(u"end_turn"_s), R::EndTurn);
    QCOMPARE(StopReasons::fromAnthropic(u"max_tokens"_s), R::MaxTokens);
    QCOMPARE(StopReasons::fromAnthropic(u"model_context_window_exceeded"_s), R::MaxTokens);
    QCOMPARE(StopReasons::fromAnthropic(u"stop_sequence"_s), R::StopSequence);
    QCOMPARE(StopReasons::fromAnthropic(u"tool_use"_s), R::ToolUse);
    QCOMPARE(StopReasons::fromAnthropic(u"refusal"_s), R::ContentFilter);
    QCOMPARE(StopReasons::fromAnthropic(u"pause_turn"_s), R::EndTurn);
    QCOMPARE(StopReasons::toAnthropic(R::ContentFilter), u"refusal"_s);
    QCOMPARE(StopReasons::toAnthropic(R::Error), u"end_turn"_s);
    for (const R r : {R::EndTurn, R::MaxTokens, R::StopSequence, R::ToolUse, R::ContentFilter})
        QCOMPARE(StopReasons::fromAnthropic(StopReasons::toAnthropic(r)), r);
}

void TranslationTest::toolCallIdsAreFilledAndPaired()
{
    // Calls and results without ids (as Gemini sends them): deterministic
    // ids, results paired with the earliest unanswered call of their name.
    auto call = [](const QString &name) {
        ir::ContentPart p;
        p.kind = ir::ContentPart::Kind::ToolCall;
        p.toolName = name;
        p.toolArguments = "{}";
        return p;
    };
    auto result = [](const QString &name, const QString &text) {
        ir::ContentPart p;
        p.kind = ir::ContentPart::Kind::ToolResult;
        p.toolName = name;
        p.text = text;
        return p;
    };
    ir::ChatRequest request;
    request.model = u"gemini-2.5-flash"_s;
    request.messages = {
        ir::Message{ir::Role::User, {ir::ContentPart::textPart(u"Weather in Paris and Rome, and the time?"_s)}},
        ir::Message{ir::Role::Assistant, {call(u"get_weather"_s), call(u"get_weather"_s), call(u"get_time"_s)}},
        ir::Message{ir::Role::User, {result(u"get_time"_s, u"noon"_s), result(u"get_weather"_s, u"sunny"_s),
                                     result(u"get_weather"_s, u"rain"_s)}},
    };
    ChatCodec::Error error;
    const auto openAi = codecNamed(u"openai"_s)->encodeRequest(request, u"gpt-4o"_s, &error);
    QVERIFY(openAi);
    const QJsonArray messages = parseObject(*openAi).value("messages"_L1).toArray();
    QCOMPARE(messages.size(), 5);
    const QJsonArray calls = messages.at(1).toObject().value("tool_calls"_L1).toArray();
    QCOMPARE(calls.at(0).toObject().value("id"_L1).toString(), u"call_0"_s);
    QCOMPARE(calls.at(2).toObject().value("id"_L1).toString(), u"call_2"_s);
    QCOMPARE(messages.at(1).toObject().value("content"_L1), QJsonValue(QJsonValue::Null));
    QCOMPARE(messages.at(2).toObject().value("tool_call_id"_L1).toString(), u"call_2"_s);
    QCOMPARE(messages.at(3).toObject().value("tool_call_id"_L1).toString(), u"call_0"_s);
    QCOMPARE(messages.at(4).toObject().value("tool_call_id"_L1).toString(), u"call_1"_s);
    QCOMPARE(messages.at(4).toObject().value("content"_L1).toString(), u"rain"_s);

    const auto anthropic = codecNamed(u"anthropic"_s)->encodeRequest(request, u"claude"_s, &error);
    QVERIFY(anthropic);
    const QJsonArray turns = parseObject(*anthropic).value("messages"_L1).toArray();
    QCOMPARE(turns.size(), 3);
    const QJsonArray results = turns.at(2).toObject().value("content"_L1).toArray();
    QCOMPARE(results.at(0).toObject().value("tool_use_id"_L1).toString(), u"toolu_2"_s);
    QCOMPARE(results.at(2).toObject().value("tool_use_id"_L1).toString(), u"toolu_1"_s);

    // Answers too: a tool call without an id gets one in either family.
    ir::ChatResponse response;
    response.content = {call(u"get_weather"_s)};
    response.stopReason = ir::StopReason::ToolUse;
    const QJsonObject oa = parseObject(codecNamed(u"openai"_s)->encodeResponse(response, u"m"_s));
    const QJsonObject message = oa.value("choices"_L1).toArray().at(0).toObject().value("message"_L1).toObject();
    QCOMPARE(message.value("tool_calls"_L1).toArray().at(0).toObject().value("id"_L1).toString(), u"call_0"_s);
    QVERIFY(oa.value("id"_L1).toString().startsWith("chatcmpl-"_L1));
    QVERIFY(!oa.contains("usage"_L1));
    const QJsonObject an = parseObject(codecNamed(u"anthropic"_s)->encodeResponse(response, u"m"_s));
    QCOMPARE(an.value("content"_L1).toArray().at(0).toObject().value("id"_L1).toString(), u"toolu_0"_s);
    QVERIFY(an.value("id"_L1).toString().startsWith("msg_"_L1));
}

void TranslationTest::usageArithmetic()
{
    // Anthropic splits the prompt three ways; the IR counts it whole.
    const auto response = codecNamed(u"anthropic"_s)->decodeResponse(
        "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\",\"content\":[],\"stop_reason\":"
        "\"end_turn\",\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":1000,\"cache_creation_input_tokens\":200,"
        "\"output_tokens\":7}}");
    QVERIFY(response);
    QVERIFY(response->usage.present);
    QCOMPARE(response->usage.inputTokens, 1210);
    QCOMPARE(response->usage.cacheReadTokens, 1000);
    QCOMPARE(response->usage.cacheWriteTokens, 200);
    QCOMPARE(response->usage.outputTokens, 7);
    const QJsonObject back = parseObject(codecNamed(u"anthropic"_s)->encodeResponse(*response, u"c"_s))
                                 .value("usage"_L1)
                                 .toObject();
    QCOMPARE(back.value("input_tokens"_L1).toInteger(), 10);

    const auto openAi = codecNamed(u"openai"_s)->decodeResponse(
        "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":"
        "{\"role\":\"assistant\",\"content\":\"x\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5000000000,"
        "\"completion_tokens\":300,\"total_tokens\":5000000300,\"prompt_tokens_details\":{\"cached_tokens\":4000000000},"
        "\"completion_tokens_details\":{\"reasoning_tokens\":250}}}");
    QVERIFY(openAi);
    QCOMPARE(openAi->usage.inputTokens, Q_INT64_C(5000000000));
    QCOMPARE(openAi->usage.cacheReadTokens, Q_INT64_C(4000000000));
    QCOMPARE(openAi->usage.reasoningTokens, 250);
    // Converted to Anthropic's split: the uncached remainder.
    const QJsonObject split = parseObject(codecNamed(u"anthropic"_s)->encodeResponse(*openAi, u"c"_s))
                                  .value("usage"_L1)
                                  .toObject();
    QCOMPARE(split.value("input_tokens"_L1).toInteger(), Q_INT64_C(1000000000));
    QCOMPARE(split.value("cache_read_input_tokens"_L1).toInteger(), Q_INT64_C(4000000000));
}

void TranslationTest::openAiStreamWithoutUsageRequested()
{
    // A caller who did not ask for usage gets no usage chunk and no
    // "usage": null, even though the upstream reported usage.
    bool complete = false;
    QString error;
    const auto events = decodeStream(*codecNamed(u"anthropic"_s), readCase(u"plain_text"_s, u"stream.anthropic.sse"_s), 0,
                                     &complete, &error);
    QVERIFY(complete);
    auto encoder = codecNamed(u"openai"_s)->streamEncoder(u"gpt-4o-mini"_s, false, true);
    QByteArray out;
    for (const ir::StreamEvent &e : events)
        out += encoder->encode(e);
    QVERIFY(!out.contains("usage"));
    QVERIFY(out.endsWith("data: [DONE]\n\n"));
    QCOMPARE(out.count("data: "), 6);  // role, 3 deltas, finish, [DONE]
    // The relay sends End's bytes only once charged: they are End's alone.
    auto again = codecNamed(u"openai"_s)->streamEncoder(u"gpt-4o-mini"_s, true, true);
    QByteArray beforeEnd;
    for (const ir::StreamEvent &e : events) {
        if (e.kind != ir::StreamEvent::Kind::End)
            beforeEnd += again->encode(e);
    }
    QVERIFY(!beforeEnd.contains("[DONE]"));
    QVERIFY(!beforeEnd.contains("\"prompt_tokens\""));
    const QByteArray end = again->encode(makeEvent(ir::StreamEvent::Kind::End));
    QVERIFY(end.contains("\"prompt_tokens\":13"));
    QVERIFY(end.endsWith("data: [DONE]\n\n"));
}

void TranslationTest::malformedStreams()
{
    {
        auto decoder = codecNamed(u"openai"_s)->streamDecoder();
        QString error;
        decoder->feed("data: {\"id\":\"c\",\"choices\":[]}\n\ndata: {not json\n\n", &error);
        QVERIFY(error.contains("JSON"_L1));
        bool complete = true;
        QString after;
        decoder->finish(&complete, &after);
        QVERIFY(!complete);
        QVERIFY(!after.isEmpty());
    }
    {
        // Arguments of tool call 0 after tool call 1 began: the IR cannot
        // interleave blocks, so the stream is malformed rather than mangled.
        auto decoder = codecNamed(u"openai"_s)->streamDecoder();
        QString error;
        const QByteArray chunks =
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":"
            "{\"name\":\"f\",\"arguments\":\"\"}}]}}]}\n\n"
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":"
            "{\"name\":\"g\",\"arguments\":\"{}\"}}]}}]}\n\n"
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
            "{\"arguments\":\"{}\"}}]}}]}\n\n";
        decoder->feed(chunks, &error);
        QVERIFY(error.contains("tool call 0"_L1));
    }
    {
        auto decoder = codecNamed(u"anthropic"_s)->streamDecoder();
        QString error;
        decoder->feed("event: message_start\ndata: [1,2]\n\n", &error);
        QVERIFY(!error.isEmpty());
    }
    {
        // Choices other than 0 are not translated; "usage": null is ignored.
        auto decoder = codecNamed(u"openai"_s)->streamDecoder();
        QString error;
        const auto events = decoder->feed(
            "data: {\"id\":\"c\",\"created\":5,\"model\":\"m\",\"usage\":null,\"choices\":[{\"index\":1,\"delta\":"
            "{\"content\":\"other\"}},{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}\n\n",
            &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(0).createdSeconds, 5);
        QCOMPARE(events.at(2).text, u"mine"_s);
    }
}

void TranslationTest::incompleteStreams()
{
    // An upstream that closes without [DONE] / message_stop: no End, and
    // finish() says the stream did not complete.
    // Cut at an event's end and in the middle of one (not malformed: cut short).
    for (const QString &family : {u"openai"_s, u"anthropic"_s}) {
        const QByteArray bytes = readCase(u"plain_text"_s, u"stream.%1.sse"_s.arg(family));
        const qsizetype boundary = bytes.indexOf("\n\n", bytes.size() / 2) + 2;
        for (const qsizetype cut : {boundary, boundary + 20}) {
            bool complete = true;
            QString error;
            const auto events = decodeStream(*codecNamed(family), bytes.first(cut), 0, &complete, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(!complete);
            QVERIFY(events.size() >= 3);
            QVERIFY(!hasEnd(events));
            QVERIFY(contractViolation(events).isEmpty());
        }
    }
    // [DONE] without a finish_reason still completes, with an unknown reason.
    bool complete = false;
    QString error;
    const auto events = decodeStream(*codecNamed(u"openai"_s),
                                     "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n"
                                     "data: [DONE]",
                                     0, &complete, &error);
    QVERIFY(complete);
    QVERIFY(contractViolation(events).isEmpty());
    QCOMPARE(events.at(events.size() - 2).stopReason, ir::StopReason::Unknown);
}

void TranslationTest::streamEncodersSynthesiseIds()
{
    // A stream from a family without ids (Gemini) still gets them.
    QList<ir::StreamEvent> events;
    events.append(makeEvent(ir::StreamEvent::Kind::Start));
    ir::StreamEvent start = makeEvent(ir::StreamEvent::Kind::BlockStart, 0);
    start.part.kind = ir::ContentPart::Kind::ToolCall;
    start.part.toolName = u"get_weather"_s;
    events.append(start);
    ir::StreamEvent args = makeEvent(ir::StreamEvent::Kind::ArgumentsDelta, 0);
    args.arguments = "{\"location\":\"Paris\"}";
    events.append(args);
    events.append(makeEvent(ir::StreamEvent::Kind::BlockStop, 0));
    ir::StreamEvent finish = makeEvent(ir::StreamEvent::Kind::Finish);
    finish.stopReason = ir::StopReason::ToolUse;
    events.append(finish);
    events.append(makeEvent(ir::StreamEvent::Kind::End));

    auto openAi = codecNamed(u"openai"_s)->streamEncoder(u"m"_s, false, true);
    QByteArray oa;
    for (const auto &e : events)
        oa += openAi->encode(e);
    QVERIFY(oa.contains("\"id\":\"call_0\""));
    QVERIFY(oa.contains("\"id\":\"chatcmpl-"));
    QVERIFY(oa.contains("\"finish_reason\":\"tool_calls\""));

    auto anthropic = codecNamed(u"anthropic"_s)->streamEncoder(u"m"_s, false, true);
    QByteArray an;
    for (const auto &e : events)
        an += anthropic->encode(e);
    QVERIFY(an.contains("\"id\":\"toolu_0\""));
    QVERIFY(an.contains("\"id\":\"msg_"));
    QVERIFY(an.contains("\"stop_reason\":\"tool_use\""));
    QVERIFY(an.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    // Anthropic holds the stop reason for message_delta: nothing of it before End.
    auto held = codecNamed(u"anthropic"_s)->streamEncoder(u"m"_s, false, true);
    for (const auto &e : events.first(events.size() - 1))
        QVERIFY(!held->encode(e).contains("message_delta"));
}

QTEST_GUILESS_MAIN(TranslationTest)
#include "tst_translation.moc"
