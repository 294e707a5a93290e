#include "translate/chatcodec.h"
#include "translate/geminijsonarrayscanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;
using namespace Qt::StringLiterals;

// What only Gemini's codec does: ids for calls that have none, the streamed
// JSON array, prompt blocks, thoughts billed as output. The shapes shared
// with the other families are checked by tst_translation's fixtures.
// JSON lives in escaped one-line strings: moc cannot read raw string
// literals that span lines.

namespace {

const ChatCodec &gemini()
{
    return *ChatCodec::forFamily(ApiFamily::Gemini);
}

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

ir::StreamEvent streamEvent(ir::StreamEvent::Kind kind, int index = 0)
{
    ir::StreamEvent e;
    e.kind = kind;
    e.index = index;
    return e;
}

// A compact, comparable form of an event list.
QStringList describe(const QList<ir::StreamEvent> &events)
{
    using K = ir::StreamEvent::Kind;
    QStringList out;
    for (const ir::StreamEvent &e : events) {
        switch (e.kind) {
        case K::Start:
            out.append(u"start %1 %2 in=%3"_s.arg(e.id, e.model).arg(e.usage.inputTokens));
            break;
        case K::BlockStart:
            out.append(u"block %1 kind=%2 %3 %4"_s.arg(e.index).arg(int(e.part.kind)).arg(e.part.toolCallId, e.part.toolName));
            break;
        case K::TextDelta:
            out.append(u"text %1 %2"_s.arg(e.index).arg(e.text));
            break;
        case K::ArgumentsDelta:
            out.append(u"args %1 %2"_s.arg(e.index).arg(QString::fromUtf8(e.arguments)));
            break;
        case K::BlockStop:
            out.append(u"stop %1"_s.arg(e.index));
            break;
        case K::Finish:
            out.append(u"finish %1 in=%2 out=%3 reasoning=%4"_s.arg(int(e.stopReason))
                           .arg(e.usage.inputTokens)
                           .arg(e.usage.outputTokens)
                           .arg(e.usage.reasoningTokens));
            break;
        case K::Usage:
            out.append(u"usage out=%1"_s.arg(e.usage.outputTokens));
            break;
        case K::End:
            out.append(u"end"_s);
            break;
        case K::Error:
            out.append(u"error %1 %2"_s.arg(e.code, e.message));
            break;
        }
    }
    return out;
}

struct Decoded
{
    QList<ir::StreamEvent> events;
    bool complete = false;
    QString error;
};

Decoded decode(const QList<QByteArray> &pieces)
{
    auto decoder = gemini().streamDecoder();
    Decoded out;
    for (const QByteArray &piece : pieces)
        out.events += decoder->feed(piece, &out.error);
    out.events += decoder->finish(&out.complete, &out.error);
    return out;
}

// A JSON-array stream as Gemini sends it without alt=sse: a thought, text in
// two chunks (with brackets, braces and escaped quotes inside strings, which
// must not end an element), a function call, and the finishing chunk.
const QByteArray ArrayStream =
    "[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Let me think ]}\",\"thought\":true}],\"role\":\"model\"},"
    "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"totalTokenCount\":12},\"modelVersion\":"
    "\"gemini-2.5-flash\",\"responseId\":\"r-1\"}\n"
    ",\r\n{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"He said \\\"{\\\" [hi]\"}],\"role\":\"model\"},"
    "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":3,\"totalTokenCount\":15},"
    "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-1\"}\n"
    ",\r\n{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" \\u00e9t\\u00e9\"}],\"role\":\"model\"},\"index\":0}],"
    "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-1\"}\n"
    ",\r\n{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":"
    "\"Paris\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,"
    "\"candidatesTokenCount\":9,\"thoughtsTokenCount\":20,\"totalTokenCount\":41},\"modelVersion\":"
    "\"gemini-2.5-flash\",\"responseId\":\"r-1\"}\n]";

const QStringList ArrayStreamEvents{
    u"start r-1 gemini-2.5-flash in=12"_s,
    u"block 0 kind=4  "_s,
    u"text 0 Let me think ]}"_s,
    u"stop 0"_s,
    u"block 1 kind=0  "_s,
    u"text 1 He said \"{\" [hi]"_s,
    u"text 1  \u00e9t\u00e9"_s,
    u"stop 1"_s,
    u"block 2 kind=2 call_0 get_weather"_s,
    u"args 2 {\"city\":\"Paris\"}"_s,
    u"stop 2"_s,
    u"finish 3 in=12 out=29 reasoning=20"_s,
    u"end"_s,
};

} // namespace

class GeminiCodecTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registered();
    void callIdsAndResponsePairing();
    void explicitIdsAreKept();
    void unansweredResponseIsAnError();
    void resultsComeBeforeTheUserText();
    void imagesByFileUri();
    void functionResponseBodies();
    void decodeErrorsNameTheField_data();
    void decodeErrorsNameTheField();
    void untranslatable_data();
    void untranslatable();
    void openApiSchemasBecomeJsonSchema();
    void encodeRequestShape();
    void encodeRefusals();
    void dummySignatureForNewModels();
    void responseCallIdsAndThoughts();
    void thoughtsAreBilledAsOutput();
    void promptBlocked();
    void finishReasons();
    void decodeErrorMessage();
    void arrayStreamWhole();
    void arrayStreamSplitAtEveryByte();
    void arrayStreamIncomplete();
    void arrayScannerRefusesGarbage();
    void sseStreamErrorChunk();
    void sseStreamWithoutFinishIsIncomplete();
    void sseStreamPromptBlocked();
    void streamThoughtSignatures();
    void encoderArrayForm();
    void encoderArrayFormError();
    void encoderSseForm();
    void encoderErrorCodes();
};

void GeminiCodecTest::registered()
{
    QVERIFY(ChatCodec::forFamily(ApiFamily::Gemini));
    QCOMPARE(ChatCodec::forFamily(ApiFamily::Gemini), ChatCodec::forFamily(ApiFamily::Gemini));
    QVERIFY(ChatCodec::forFamily(ApiFamily::Gemini) != ChatCodec::forFamily(ApiFamily::OpenAI));
}

void GeminiCodecTest::callIdsAndResponsePairing()
{
    // Three calls, two of one function; the answers come in another order.
    // Each answer takes the earliest unanswered call of its function.
    const QByteArray body =
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Weather in Paris and London, and the time?\"}]},"
        "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}},"
        "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"London\"}}},"
        "{\"functionCall\":{\"name\":\"get_time\",\"args\":{}}}]},"
        "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_time\",\"response\":{\"result\":\"noon\"}}},"
        "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"result\":\"sunny\"}}},"
        "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"result\":\"rain\"}}},"
        "{\"text\":\"Thanks\"}]},"
        "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Rome\"}}}]},"
        "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"result\":\"hot\"}}}]}]}";
    ChatCodec::Error error;
    const auto request = gemini().decodeRequest(body, &error);
    QVERIFY2(request, qPrintable(error.message));
    QVERIFY(request->untranslatable.isEmpty());
    const QList<ir::Role> roles{ir::Role::User, ir::Role::Assistant, ir::Role::Tool,
                                ir::Role::User, ir::Role::Assistant, ir::Role::Tool};
    QCOMPARE(request->messages.size(), roles.size());
    for (qsizetype i = 0; i < roles.size(); ++i)
        QCOMPARE(request->messages.at(i).role, roles.at(i));

    const auto &calls = request->messages.at(1).parts;
    QCOMPARE(calls.size(), 3);
    QCOMPARE(calls.at(0).kind, ir::ContentPart::Kind::ToolCall);
    QCOMPARE(calls.at(0).toolCallId, u"call_0"_s);
    QCOMPARE(calls.at(0).toolArguments, QByteArray("{\"city\":\"Paris\"}"));
    QCOMPARE(calls.at(1).toolCallId, u"call_1"_s);
    QCOMPARE(calls.at(2).toolCallId, u"call_2"_s);
    QCOMPARE(calls.at(2).toolArguments, QByteArray("{}"));

    const auto &results = request->messages.at(2).parts;
    QCOMPARE(results.size(), 3);
    QCOMPARE(results.at(0).kind, ir::ContentPart::Kind::ToolResult);
    QCOMPARE(results.at(0).toolCallId, u"call_2"_s);
    QCOMPARE(results.at(0).toolName, u"get_time"_s);
    QCOMPARE(results.at(0).text, u"noon"_s);
    QCOMPARE(results.at(1).toolCallId, u"call_0"_s);
    QCOMPARE(results.at(1).text, u"sunny"_s);
    QCOMPARE(results.at(2).toolCallId, u"call_1"_s);
    QCOMPARE(results.at(2).text, u"rain"_s);
    QCOMPARE(request->messages.at(3).parts.at(0).text, u"Thanks"_s);
    // Numbering runs over the whole conversation.
    QCOMPARE(request->messages.at(4).parts.at(0).toolCallId, u"call_3"_s);
    QCOMPARE(request->messages.at(5).parts.at(0).toolCallId, u"call_3"_s);
    QCOMPARE(request->messages.at(5).parts.at(0).text, u"hot"_s);

    // Back to Gemini: the results find their names through the ids, and the
    // tool turn and the user text that followed it are one user turn again.
    const auto out = gemini().encodeRequest(*request, u"gemini-2.5-flash"_s, &error);
    QVERIFY2(out, qPrintable(error.message));
    const QJsonArray contents = object(*out).value("contents"_L1).toArray();
    QCOMPARE(contents.size(), 5);
    const QJsonArray answer = contents.at(2).toObject().value("parts"_L1).toArray();
    QCOMPARE(contents.at(2).toObject().value("role"_L1).toString(), u"user"_s);
    QCOMPARE(answer.size(), 4);
    QCOMPARE(answer.at(0).toObject().value("functionResponse"_L1).toObject().value("name"_L1).toString(), u"get_time"_s);
    QCOMPARE(answer.at(3).toObject().value("text"_L1).toString(), u"Thanks"_s);
}

void GeminiCodecTest::explicitIdsAreKept()
{
    const QByteArray body =
        "{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"id\":\"a1\",\"name\":\"f\",\"args\":{}}},"
        "{\"functionCall\":{\"id\":\"b2\",\"name\":\"f\",\"args\":{\"x\":1}}}]},"
        "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"id\":\"b2\",\"name\":\"f\",\"response\":{\"v\":2}}},"
        "{\"functionResponse\":{\"id\":\"a1\",\"name\":\"f\",\"response\":{\"v\":1}}}]}]}";
    ChatCodec::Error error;
    const auto request = gemini().decodeRequest(body, &error);
    QVERIFY2(request, qPrintable(error.message));
    QCOMPARE(request->messages.at(0).parts.at(0).toolCallId, u"a1"_s);
    QCOMPARE(request->messages.at(0).parts.at(1).toolCallId, u"b2"_s);
    QCOMPARE(request->messages.at(1).parts.at(0).toolCallId, u"b2"_s);
    QCOMPARE(request->messages.at(1).parts.at(0).text, u"{\"v\":2}"_s);
    QCOMPARE(request->messages.at(1).parts.at(1).toolCallId, u"a1"_s);
}

void GeminiCodecTest::unansweredResponseIsAnError()
{
    // A second answer for a function called once.
    const QByteArray body =
        "{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{}}}]},"
        "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}},"
        "{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]}";
    ChatCodec::Error error;
    QVERIFY(!gemini().decodeRequest(body, &error));
    QCOMPARE(error.param, u"contents[1].parts[1].functionResponse"_s);
    QVERIFY2(error.message.contains("\"f\""_L1), qPrintable(error.message));
    // And an answer to a function never called.
    QVERIFY(!gemini().decodeRequest("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"g\","
                                    "\"response\":{}}}]}]}",
                                    &error));
    QCOMPARE(error.param, u"contents[0].parts[0].functionResponse"_s);
}

void GeminiCodecTest::resultsComeBeforeTheUserText()
{
    // The other families want results right after the calls: within a user
    // turn, the responses go first whatever their place among the parts.
    // No role means "user"; "function" is the old role of responses.
    const QByteArray body =
        "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":"
        "{\"name\":\"f\"}}]},{\"role\":\"user\",\"parts\":[{\"text\":\"Here it is:\"},{\"functionResponse\":"
        "{\"name\":\"f\",\"response\":{\"result\":\"1\"}}}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":"
        "{\"name\":\"g\"}}]},{\"role\":\"function\",\"parts\":[{\"functionResponse\":{\"name\":\"g\",\"response\":"
        "{}}}]}]}";
    ChatCodec::Error error;
    const auto request = gemini().decodeRequest(body, &error);
    QVERIFY2(request, qPrintable(error.message));
    const QList<ir::Role> roles{ir::Role::User, ir::Role::Assistant, ir::Role::Tool, ir::Role::User,
                                ir::Role::Assistant, ir::Role::Tool};
    QCOMPARE(request->messages.size(), roles.size());
    for (qsizetype i = 0; i < roles.size(); ++i)
        QCOMPARE(request->messages.at(i).role, roles.at(i));
    QCOMPARE(request->messages.at(2).parts.at(0).toolCallId, u"call_0"_s);
    QCOMPARE(request->messages.at(3).parts.at(0).text, u"Here it is:"_s);
    QCOMPARE(request->messages.at(5).parts.at(0).toolCallId, u"call_1"_s);
    QCOMPARE(request->messages.at(5).parts.at(0).text, u"{}"_s);
}

void GeminiCodecTest::imagesByFileUri()
{
    const QByteArray body = "{\"contents\":[{\"parts\":[{\"fileData\":{\"mimeType\":\"image/jpeg\",\"fileUri\":"
                            "\"https://example.com/cat.jpg\"}},{\"inlineData\":{\"mimeType\":\"image/webp\",\"data\":"
                            "\"UklGRg==\"}}]}]}";
    ChatCodec::Error error;
    const auto request = gemini().decodeRequest(body, &error);
    QVERIFY2(request, qPrintable(error.message));
    QVERIFY(request->untranslatable.isEmpty());
    const auto &parts = request->messages.at(0).parts;
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts.at(0).kind, ir::ContentPart::Kind::Image);
    QCOMPARE(parts.at(0).imageUrl, u"https://example.com/cat.jpg"_s);
    QCOMPARE(parts.at(0).mediaType, u"image/jpeg"_s);
    QVERIFY(parts.at(0).imageBase64.isEmpty());
    QCOMPARE(parts.at(1).imageBase64, QByteArray("UklGRg=="));
    QCOMPARE(parts.at(1).mediaType, u"image/webp"_s);
}

void GeminiCodecTest::functionResponseBodies()
{
    const QByteArray body =
        "{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"a\"}},{\"functionCall\":{\"name\":\"b\"}},"
        "{\"functionCall\":{\"name\":\"c\"}},{\"functionCall\":{\"name\":\"d\"}}]},"
        "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"a\",\"response\":{\"result\":\"text\"}}},"
        "{\"functionResponse\":{\"name\":\"b\",\"response\":{\"error\":\"boom\"}}},"
        "{\"functionResponse\":{\"name\":\"c\",\"response\":{\"temp\":20,\"unit\":\"C\"}}},"
        "{\"functionResponse\":{\"name\":\"d\",\"response\":{\"result\":[1,2]}}}]}]}";
    ChatCodec::Error error;
    const auto request = gemini().decodeRequest(body, &error);
    QVERIFY2(request, qPrintable(error.message));
    const auto &results = request->messages.at(1).parts;
    QCOMPARE(results.at(0).text, u"text"_s);
    QVERIFY(!results.at(0).toolError);
    QCOMPARE(results.at(1).text, u"boom"_s);
    QVERIFY(results.at(1).toolError);
    QCOMPARE(results.at(2).text, u"{\"temp\":20,\"unit\":\"C\"}"_s);
    QCOMPARE(results.at(3).text, u"[1,2]"_s);

    // And back: text that is a JSON object goes as it is, other text wrapped.
    const auto out = gemini().encodeRequest(*request, u"gemini-2.5-pro"_s, &error);
    QVERIFY2(out, qPrintable(error.message));
    const QJsonArray parts = object(*out).value("contents"_L1).toArray().at(1).toObject().value("parts"_L1).toArray();
    auto response = [&](int i) {
        return parts.at(i).toObject().value("functionResponse"_L1).toObject().value("response"_L1).toObject();
    };
    QCOMPARE(response(0), object("{\"result\":\"text\"}"));
    QCOMPARE(response(1), object("{\"error\":\"boom\"}"));
    QCOMPARE(response(2), object("{\"temp\":20,\"unit\":\"C\"}"));
    QCOMPARE(response(3), object("{\"result\":\"[1,2]\"}"));
}

void GeminiCodecTest::decodeErrorsNameTheField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("expected");

    QTest::newRow("not an object") << QByteArray("[1]") << QString() << u"JSON object"_s;
    QTest::newRow("contents missing") << QByteArray("{}") << u"contents"_s << u"Missing"_s;
    QTest::newRow("contents type") << QByteArray("{\"contents\":{}}") << u"contents"_s << u"an array"_s;
    QTest::newRow("content element") << QByteArray("{\"contents\":[\"hi\"]}") << u"contents[0]"_s << u"an object"_s;
    QTest::newRow("text type")
        << QByteArray("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"a\"}]},{\"role\":\"model\",\"parts\":"
                      "[{\"text\":\"b\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"c\"},{\"text\":5}]}]}")
        << u"contents[2].parts[1].text"_s << u"a string"_s;
    QTest::newRow("role") << QByteArray("{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"a\"}]}]}")
                          << u"contents[0].role"_s << u"\"model\""_s;
    QTest::newRow("parts type") << QByteArray("{\"contents\":[{\"role\":\"user\",\"parts\":\"a\"}]}")
                                << u"contents[0].parts"_s << u"an array"_s;
    QTest::newRow("empty part") << QByteArray("{\"contents\":[{\"role\":\"user\",\"parts\":[{}]}]}")
                                << u"contents[0].parts[0]"_s << u"functionCall"_s;
    QTest::newRow("inline data")
        << QByteArray("{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":7}}]}]}")
        << u"contents[0].parts[0].inlineData.data"_s << u"a string"_s;
    QTest::newRow("inline mime missing")
        << QByteArray("{\"contents\":[{\"parts\":[{\"inlineData\":{\"data\":\"AAAA\"}}]}]}")
        << u"contents[0].parts[0].inlineData.mimeType"_s << u"Missing"_s;
    QTest::newRow("file uri") << QByteArray("{\"contents\":[{\"parts\":[{\"fileData\":{\"mimeType\":\"image/png\"}}]}]}")
                              << u"contents[0].parts[0].fileData.fileUri"_s << u"Missing"_s;
    QTest::newRow("call args")
        << QByteArray("{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":\"{}\"}}]}]}")
        << u"contents[0].parts[0].functionCall.args"_s << u"an object"_s;
    QTest::newRow("call name")
        << QByteArray("{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"args\":{}}}]}]}")
        << u"contents[0].parts[0].functionCall.name"_s << u"Missing"_s;
    QTest::newRow("call in user turn")
        << QByteArray("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"functionCall\":{\"name\":\"f\"}}]}]}")
        << u"contents[0].parts[0].functionCall"_s << u"\"model\" turn"_s;
    QTest::newRow("response in model turn")
        << QByteArray("{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]}")
        << u"contents[0].parts[0].functionResponse"_s << u"\"user\" turn"_s;
    QTest::newRow("response body")
        << QByteArray("{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\"}}]},{\"role\":\"user\","
                      "\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":\"ok\"}}]}]}")
        << u"contents[1].parts[0].functionResponse.response"_s << u"an object"_s;
    QTest::newRow("thought") << QByteArray("{\"contents\":[{\"parts\":[{\"text\":\"a\",\"thought\":\"yes\"}]}]}")
                             << u"contents[0].parts[0].thought"_s << u"a boolean"_s;
    QTest::newRow("system text")
        << QByteArray("{\"contents\":[],\"systemInstruction\":{\"parts\":[{\"text\":\"a\"},{\"text\":[]}]}}")
        << u"systemInstruction.parts[1].text"_s << u"a string"_s;
    QTest::newRow("system type") << QByteArray("{\"contents\":[],\"systemInstruction\":\"be brief\"}")
                                 << u"systemInstruction"_s << u"an object"_s;
    QTest::newRow("declaration name")
        << QByteArray("{\"contents\":[],\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\"},{\"description\":\"d\"}]}]}")
        << u"tools[0].functionDeclarations[1].name"_s << u"Missing"_s;
    QTest::newRow("declaration parameters")
        << QByteArray("{\"contents\":[],\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"parameters\":[]}]}]}")
        << u"tools[0].functionDeclarations[0].parameters"_s << u"an object"_s;
    QTest::newRow("mode") << QByteArray("{\"contents\":[],\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"SOMETIMES\"}}}")
                          << u"toolConfig.functionCallingConfig.mode"_s << u"AUTO, ANY"_s;
    QTest::newRow("allowed names")
        << QByteArray("{\"contents\":[],\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\","
                      "\"allowedFunctionNames\":[\"f\",2]}}}")
        << u"toolConfig.functionCallingConfig.allowedFunctionNames[1]"_s << u"a string"_s;
    QTest::newRow("max tokens") << QByteArray("{\"contents\":[],\"generationConfig\":{\"maxOutputTokens\":10.5}}")
                                << u"generationConfig.maxOutputTokens"_s << u"an integer"_s;
    QTest::newRow("temperature") << QByteArray("{\"contents\":[],\"generationConfig\":{\"temperature\":\"warm\"}}")
                                 << u"generationConfig.temperature"_s << u"a number"_s;
    QTest::newRow("stop sequence") << QByteArray("{\"contents\":[],\"generationConfig\":{\"stopSequences\":[\"a\",null]}}")
                                   << u"generationConfig.stopSequences[1]"_s << u"a string"_s;
    QTest::newRow("response schema") << QByteArray("{\"contents\":[],\"generationConfig\":{\"responseJsonSchema\":true}}")
                                     << u"generationConfig.responseJsonSchema"_s << u"an object"_s;
}

void GeminiCodecTest::decodeErrorsNameTheField()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    QFETCH(QString, expected);
    ChatCodec::Error error;
    QVERIFY(!gemini().decodeRequest(body, &error));
    QCOMPARE(error.param, param);
    QVERIFY2(error.message.contains(expected), qPrintable(error.message));
    if (!param.isEmpty())
        QVERIFY2(error.message.contains(u'\'' + param + u'\''), qPrintable(error.message));
    QVERIFY(!gemini().decodeRequest(body, nullptr));
}

void GeminiCodecTest::untranslatable_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("expected");
    const QByteArray head = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"a\"}]}]";
    QTest::newRow("nothing") << head + ",\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":"
                                       "\"BLOCK_NONE\"}],\"generationConfig\":{\"responseModalities\":[\"TEXT\"],"
                                       "\"responseMimeType\":\"text/plain\",\"responseLogprobs\":false}}"
                             << QStringList();
    QTest::newRow("cache and search")
        << head + ",\"cachedContent\":\"cachedContents/abc\",\"tools\":[{\"googleSearch\":{}},{\"codeExecution\":{}},"
                  "{\"functionDeclarations\":[{\"name\":\"f\"}]}]}"
        << QStringList{u"googleSearch"_s, u"codeExecution"_s, u"cachedContent"_s};
    QTest::newRow("generation")
        << head + ",\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":0},\"responseModalities\":[\"TEXT\","
                  "\"AUDIO\"],\"speechConfig\":{},\"responseLogprobs\":true,\"responseMimeType\":\"text/x.enum\"}}"
        << QStringList{u"responseMimeType"_s, u"responseModalities"_s, u"responseLogprobs"_s, u"thinkingConfig"_s,
                       u"speechConfig"_s};
    QTest::newRow("documents")
        << QByteArray("{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"application/pdf\",\"data\":\"JVBE\"}},"
                      "{\"fileData\":{\"mimeType\":\"video/mp4\",\"fileUri\":\"https://x/v.mp4\"}},"
                      "{\"executableCode\":{\"language\":\"PYTHON\",\"code\":\"1\"}}]}]}")
        << QStringList{u"inlineData"_s, u"fileData"_s, u"executableCode"_s};
    QTest::newRow("subset of functions")
        << head + ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\"},{\"name\":\"g\"},{\"name\":\"h\"}]}],"
                  "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"f\",\"g\"]}}}"
        << QStringList{u"allowedFunctionNames"_s};
}

void GeminiCodecTest::untranslatable()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, expected);
    ChatCodec::Error error;
    const auto request = gemini().decodeRequest(body, &error);
    QVERIFY2(request, qPrintable(error.message));
    QCOMPARE(request->untranslatable, expected);
}

void GeminiCodecTest::openApiSchemasBecomeJsonSchema()
{
    const QByteArray body =
        "{\"contents\":[{\"parts\":[{\"text\":\"a\"}]}],\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\","
        "\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\",\"nullable\":true},"
        "\"days\":{\"type\":\"ARRAY\",\"items\":{\"type\":\"INTEGER\"}}},\"required\":[\"city\"],"
        "\"propertyOrdering\":[\"city\",\"days\"]}}]}],"
        "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"f\"]}},"
        "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":{\"type\":\"OBJECT\","
        "\"properties\":{\"ok\":{\"type\":\"BOOLEAN\"}}}}}";
    ChatCodec::Error error;
    const auto request = gemini().decodeRequest(body, &error);
    QVERIFY2(request, qPrintable(error.message));
    QCOMPARE(request->tools.size(), 1);
    QCOMPARE(request->tools.at(0).parameters,
             object("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":[\"string\",\"null\"]},\"days\":{\"type\":"
                    "\"array\",\"items\":{\"type\":\"integer\"}}},\"required\":[\"city\"]}"));
    QVERIFY(request->toolChoice);
    QCOMPARE(request->toolChoice->mode, ir::ToolChoice::Mode::Named);
    QCOMPARE(request->toolChoice->name, u"f"_s);
    QCOMPARE(request->responseFormat, ir::ResponseFormat::JsonSchema);
    QCOMPARE(request->jsonSchema, object("{\"name\":\"response\",\"schema\":{\"type\":\"object\",\"properties\":{\"ok\":"
                                         "{\"type\":\"boolean\"}}}}"));
}

void GeminiCodecTest::encodeRequestShape()
{
    ir::ChatRequest request;
    request.model = u"ignored"_s;
    request.stream = true;
    request.user = u"end-user-1"_s;
    request.system = {ir::ContentPart::textPart(u"Be brief."_s)};
    ir::ContentPart image;
    image.kind = ir::ContentPart::Kind::Image;
    image.imageUrl = u"data:image/png;base64,iVBORw0KGgo="_s;
    request.messages.append(ir::Message{ir::Role::User, {ir::ContentPart::textPart(u"What is this?"_s), image}});
    ir::ContentPart thinking;
    thinking.kind = ir::ContentPart::Kind::Thinking;
    thinking.text = u"hmm"_s;
    thinking.signature = "anthropic-signature";
    request.messages.append(ir::Message{ir::Role::Assistant, {thinking, ir::ContentPart::textPart(u"A logo."_s)}});
    request.messages.append(ir::Message{ir::Role::User, {ir::ContentPart::textPart(u""_s)}});
    request.messages.append(ir::Message{ir::Role::User, {ir::ContentPart::textPart(u"Sure?"_s)}});
    request.tools.append(ir::Tool{u"f"_s, QString(),
                                  object("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                                         "\"properties\":{},\"additionalProperties\":false}")});
    request.toolChoice = ir::ToolChoice{ir::ToolChoice::Mode::Required, {}};
    request.parallelToolCalls = false;
    request.maxTokens = 100;
    request.topK = 3;
    request.seed = 9;
    request.responseFormat = ir::ResponseFormat::JsonSchema;
    request.jsonSchema = object("{\"name\":\"answer\",\"strict\":true,\"schema\":{\"type\":\"object\"}}");

    ChatCodec::Error error;
    const auto out = gemini().encodeRequest(request, u"gemini-2.5-flash"_s, &error);
    QVERIFY2(out, qPrintable(error.message));
    const QJsonObject expected = object(
        "{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
        "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is this?\"},{\"inlineData\":{\"mimeType\":"
        "\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]},{\"role\":\"model\",\"parts\":[{\"text\":\"A logo.\"}]},"
        "{\"role\":\"user\",\"parts\":[{\"text\":\"Sure?\"}]}],"
        "\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"parametersJsonSchema\":{\"type\":\"object\","
        "\"properties\":{},\"additionalProperties\":false}}]}],"
        "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\"}},"
        "\"generationConfig\":{\"maxOutputTokens\":100,\"topK\":3,\"seed\":9,"
        "\"responseMimeType\":\"application/json\",\"responseJsonSchema\":{\"type\":\"object\"}}}");
    QCOMPARE(QString::fromUtf8(QJsonDocument(object(*out)).toJson()), QString::fromUtf8(QJsonDocument(expected).toJson()));
}

void GeminiCodecTest::encodeRefusals()
{
    ir::ChatRequest request;
    ir::ContentPart image;
    image.kind = ir::ContentPart::Kind::Image;
    image.imageUrl = u"https://example.com/cat.png"_s;
    request.messages.append(ir::Message{ir::Role::User, {image}});
    ChatCodec::Error error;
    QVERIFY(!gemini().encodeRequest(request, u"gemini-2.5-flash"_s, &error));
    QVERIFY2(error.message.contains("take images inline"_L1), qPrintable(error.message));
    QCOMPARE(error.param, u"messages[0]"_s);

    // A result whose call is nowhere in the conversation: Gemini needs a name.
    ir::ContentPart result;
    result.kind = ir::ContentPart::Kind::ToolResult;
    result.toolCallId = u"call_9"_s;
    result.text = u"x"_s;
    request.messages = {ir::Message{ir::Role::User, {ir::ContentPart::textPart(u"hi"_s)}},
                        ir::Message{ir::Role::Tool, {result}}};
    QVERIFY(!gemini().encodeRequest(request, u"gemini-2.5-flash"_s, &error));
    QVERIFY2(error.message.contains("call_9"_L1), qPrintable(error.message));
    QCOMPARE(error.param, u"messages[1]"_s);

    ir::ContentPart call;
    call.kind = ir::ContentPart::Kind::ToolCall;
    call.toolCallId = u"call_1"_s;
    call.toolName = u"f"_s;
    call.toolArguments = "{\"truncated\": ";
    request.messages = {ir::Message{ir::Role::Assistant, {call}}};
    QVERIFY(!gemini().encodeRequest(request, u"gemini-2.5-flash"_s, &error));
    QVERIFY2(error.message.contains("not a JSON object"_L1), qPrintable(error.message));

    // Several candidates cannot come back through the IR's single answer.
    request.messages = {ir::Message{ir::Role::User, {ir::ContentPart::textPart(u"hi"_s)}}};
    request.candidateCount = 2;
    QVERIFY(!gemini().encodeRequest(request, u"gemini-2.5-flash"_s, &error));
    QCOMPARE(error.param, u"n"_s);
    QVERIFY2(error.message.contains("n must be 1"_L1), qPrintable(error.message));
    request.candidateCount = 1;
    QVERIFY(gemini().encodeRequest(request, u"gemini-2.5-flash"_s, &error));
}

void GeminiCodecTest::dummySignatureForNewModels()
{
    ir::ChatRequest request;
    request.messages.append(ir::Message{ir::Role::User, {ir::ContentPart::textPart(u"hi"_s)}});
    ir::ContentPart call;
    call.kind = ir::ContentPart::Kind::ToolCall;
    call.toolCallId = u"toolu_1"_s;
    call.toolName = u"f"_s;
    call.toolArguments = "{}";
    ir::ContentPart second = call;
    second.toolCallId = u"toolu_2"_s;
    request.messages.append(ir::Message{ir::Role::Assistant, {ir::ContentPart::textPart(u"Calling"_s), call, second}});
    ir::ContentPart result;
    result.kind = ir::ContentPart::Kind::ToolResult;
    result.toolCallId = u"toolu_1"_s;
    result.text = u"1"_s;
    ir::ContentPart result2 = result;
    result2.toolCallId = u"toolu_2"_s;
    request.messages.append(ir::Message{ir::Role::Tool, {result, result2}});

    auto parts = [&](const QString &model) {
        ChatCodec::Error error;
        const auto out = gemini().encodeRequest(request, model, &error);
        return out ? object(*out).value("contents"_L1).toArray().at(1).toObject().value("parts"_L1).toArray() : QJsonArray();
    };
    // Gemini 3 refuses replayed calls without a signature; only the first
    // call of a turn carries one, as Gemini's own parallel calls do.
    const QJsonArray three = parts(u"gemini-3-pro-preview"_s);
    QCOMPARE(three.size(), 3);
    QVERIFY(!three.at(0).toObject().contains("thoughtSignature"_L1));
    QCOMPARE(three.at(1).toObject().value("thoughtSignature"_L1).toString(), u"skip_thought_signature_validator"_s);
    QVERIFY(!three.at(2).toObject().contains("thoughtSignature"_L1));
    const QJsonArray two = parts(u"models/gemini-2.5-flash"_s);
    QCOMPARE(two.size(), 3);
    for (const QJsonValue &part : two)
        QVERIFY(!part.toObject().contains("thoughtSignature"_L1));
}

void GeminiCodecTest::responseCallIdsAndThoughts()
{
    const QByteArray body =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Plan: call both\",\"thought\":true,\"thoughtSignature\":"
        "\"c2ln\"},{\"text\":\"Checking.\"},{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},"
        "\"thoughtSignature\":\"eHl6\"},{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Rome\"}}},"
        "{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
        "\"usageMetadata\":{\"promptTokenCount\":50,\"candidatesTokenCount\":20,\"totalTokenCount\":70},"
        "\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"abc\"}";
    const auto response = gemini().decodeResponse(body);
    QVERIFY(response);
    QCOMPARE(response->id, u"abc"_s);
    QCOMPARE(response->model, u"gemini-2.5-pro"_s);
    QCOMPARE(response->stopReason, ir::StopReason::ToolUse);
    QCOMPARE(response->content.size(), 4);
    QCOMPARE(response->content.at(0).kind, ir::ContentPart::Kind::Thinking);
    QCOMPARE(response->content.at(0).signature, QByteArray("c2ln"));
    QCOMPARE(response->content.at(1).text, u"Checking."_s);
    QCOMPARE(response->content.at(2).toolCallId, u"call_0"_s);
    QCOMPARE(response->content.at(3).toolCallId, u"call_1"_s);
    QCOMPARE(response->content.at(3).toolArguments, QByteArray("{\"city\":\"Rome\"}"));

    const QJsonObject back = object(gemini().encodeResponse(*response, u"my-model"_s));
    QCOMPARE(back.value("modelVersion"_L1).toString(), u"my-model"_s);
    QCOMPARE(back.value("responseId"_L1).toString(), u"abc"_s);
    const QJsonObject candidate = back.value("candidates"_L1).toArray().at(0).toObject();
    QCOMPARE(candidate.value("finishReason"_L1).toString(), u"STOP"_s);
    const QJsonArray parts = candidate.value("content"_L1).toObject().value("parts"_L1).toArray();
    QCOMPARE(parts.size(), 4);
    QCOMPARE(parts.at(0).toObject(), object("{\"text\":\"Plan: call both\",\"thought\":true,\"thoughtSignature\":\"c2ln\"}"));
    QCOMPARE(parts.at(2).toObject(), object("{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}"));
}

void GeminiCodecTest::thoughtsAreBilledAsOutput()
{
    const auto response = gemini().decodeResponse(
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"4\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}],"
        "\"usageMetadata\":{\"promptTokenCount\":1200,\"cachedContentTokenCount\":1000,\"candidatesTokenCount\":5,"
        "\"thoughtsTokenCount\":300,\"totalTokenCount\":1505}}");
    QVERIFY(response);
    QVERIFY(response->usage.present);
    QCOMPARE(response->usage.inputTokens, 1200);
    QCOMPARE(response->usage.cacheReadTokens, 1000);
    QCOMPARE(response->usage.outputTokens, 305);
    QCOMPARE(response->usage.reasoningTokens, 300);
    QCOMPARE(response->stopReason, ir::StopReason::EndTurn);

    const QJsonObject usage = object(gemini().encodeResponse(*response, u"m"_s)).value("usageMetadata"_L1).toObject();
    QCOMPARE(usage, object("{\"promptTokenCount\":1200,\"cachedContentTokenCount\":1000,\"candidatesTokenCount\":5,"
                           "\"thoughtsTokenCount\":300,\"totalTokenCount\":1505}"));

    // Without thoughts: no thoughtsTokenCount, and no usage at all when none was reported.
    ir::ChatResponse plain;
    plain.usage.present = true;
    plain.usage.inputTokens = 3;
    plain.usage.outputTokens = 4;
    QCOMPARE(object(gemini().encodeResponse(plain, u"m"_s)).value("usageMetadata"_L1).toObject(),
             object("{\"promptTokenCount\":3,\"candidatesTokenCount\":4,\"totalTokenCount\":7}"));
    plain.usage = {};
    QVERIFY(!object(gemini().encodeResponse(plain, u"m"_s)).contains("usageMetadata"_L1));
}

void GeminiCodecTest::promptBlocked()
{
    const auto response = gemini().decodeResponse(
        "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":{\"promptTokenCount\":8,"
        "\"totalTokenCount\":8},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"blk\"}");
    QVERIFY(response);
    QCOMPARE(response->stopReason, ir::StopReason::ContentFilter);
    QVERIFY(response->content.isEmpty());
    QCOMPARE(response->usage.inputTokens, 8);
    QCOMPARE(response->id, u"blk"_s);

    // Written for a Gemini caller: a candidate stopped for safety, with an
    // empty text part rather than no parts.
    const QJsonObject candidate =
        object(gemini().encodeResponse(*response, u"m"_s)).value("candidates"_L1).toArray().at(0).toObject();
    QCOMPARE(candidate.value("finishReason"_L1).toString(), u"SAFETY"_s);
    QCOMPARE(candidate.value("content"_L1).toObject(), object("{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]}"));

    // Neither candidates nor a block: not an answer.
    QVERIFY(!gemini().decodeResponse("{\"usageMetadata\":{}}"));
    QVERIFY(!gemini().decodeResponse("{\"error\":{\"code\":400,\"message\":\"bad\",\"status\":\"INVALID_ARGUMENT\"}}"));
    QVERIFY(!gemini().decodeResponse("not json"));
}

void GeminiCodecTest::finishReasons()
{
    const QList<std::pair<QByteArray, ir::StopReason>> cases{
        {"STOP", ir::StopReason::EndTurn},
        {"MAX_TOKENS", ir::StopReason::MaxTokens},
        {"SAFETY", ir::StopReason::ContentFilter},
        {"RECITATION", ir::StopReason::ContentFilter},
        {"BLOCKLIST", ir::StopReason::ContentFilter},
        {"PROHIBITED_CONTENT", ir::StopReason::ContentFilter},
        {"SPII", ir::StopReason::ContentFilter},
        {"MALFORMED_FUNCTION_CALL", ir::StopReason::Error},
        {"LANGUAGE", ir::StopReason::Unknown},
        {"OTHER", ir::StopReason::Unknown},
    };
    for (const auto &[name, reason] : cases) {
        const QByteArray body = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}],\"role\":\"model\"},"
                                "\"finishReason\":\"" + name + "\"}]}";
        const auto response = gemini().decodeResponse(body);
        QVERIFY(response);
        QCOMPARE(response->stopReason, reason);
    }
    ir::ChatResponse response;
    const QList<std::pair<ir::StopReason, QString>> written{
        {ir::StopReason::EndTurn, u"STOP"_s},       {ir::StopReason::StopSequence, u"STOP"_s},
        {ir::StopReason::ToolUse, u"STOP"_s},       {ir::StopReason::MaxTokens, u"MAX_TOKENS"_s},
        {ir::StopReason::ContentFilter, u"SAFETY"_s}, {ir::StopReason::Error, u"OTHER"_s},
        {ir::StopReason::Unknown, u"STOP"_s},
    };
    for (const auto &[reason, name] : written) {
        response.stopReason = reason;
        QCOMPARE(object(gemini().encodeResponse(response, u"m"_s))
                     .value("candidates"_L1).toArray().at(0).toObject().value("finishReason"_L1).toString(),
                 name);
    }
}

void GeminiCodecTest::decodeErrorMessage()
{
    QCOMPARE(gemini().decodeErrorMessage("{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\","
                                         "\"status\":\"RESOURCE_EXHAUSTED\"}}"),
             u"Resource has been exhausted"_s);
    // How a streamed call's error arrives: an array of one.
    QCOMPARE(gemini().decodeErrorMessage("[{\"error\":{\"code\":400,\"message\":\"API key not valid.\",\"status\":"
                                         "\"INVALID_ARGUMENT\"}}]"),
             u"API key not valid."_s);
    QCOMPARE(gemini().decodeErrorMessage("{\"candidates\":[]}"), QString());
    QCOMPARE(gemini().decodeErrorMessage("[]"), QString());
    QCOMPARE(gemini().decodeErrorMessage("<html>502</html>"), QString());
    QCOMPARE(gemini().decodeErrorMessage("{\"error\":\"plain\"}"), QString());
}

void GeminiCodecTest::arrayStreamWhole()
{
    const Decoded decoded = decode({ArrayStream});
    QVERIFY2(decoded.error.isEmpty(), qPrintable(decoded.error));
    QVERIFY(decoded.complete);
    QCOMPARE(describe(decoded.events), ArrayStreamEvents);
}

void GeminiCodecTest::arrayStreamSplitAtEveryByte()
{
    // Every cut point, then one byte at a time: the same events.
    for (qsizetype cut = 0; cut <= ArrayStream.size(); ++cut) {
        const Decoded decoded = decode({ArrayStream.first(cut), ArrayStream.sliced(cut)});
        QVERIFY2(decoded.error.isEmpty(), qPrintable(decoded.error));
        QVERIFY2(decoded.complete, qPrintable(QString::number(cut)));
        QCOMPARE(describe(decoded.events), ArrayStreamEvents);
    }
    QList<QByteArray> bytes;
    for (const char c : ArrayStream)
        bytes.append(QByteArray(1, c));
    const Decoded decoded = decode(bytes);
    QVERIFY(decoded.complete);
    QCOMPARE(describe(decoded.events), ArrayStreamEvents);
}

void GeminiCodecTest::arrayStreamIncomplete()
{
    // Cut before the closing bracket: the finishing chunk came, the array
    // did not end.
    const Decoded open = decode({ArrayStream.chopped(1)});
    QVERIFY(open.error.isEmpty());
    QVERIFY(!open.complete);
    QCOMPARE(describe(open.events), ArrayStreamEvents.first(ArrayStreamEvents.size() - 1));
    // Cut inside the last element: no finish at all.
    const Decoded cut = decode({ArrayStream.first(ArrayStream.size() - 40)});
    QVERIFY(!cut.complete);
    QVERIFY(!describe(cut.events).join(u'\n').contains("finish"_L1));
}

void GeminiCodecTest::arrayScannerRefusesGarbage()
{
    {
        GeminiJsonArrayScanner scanner;
        QString error;
        QCOMPARE(scanner.feed("[{\"a\":1}{\"b\":2}]", &error).size(), 1);
        QVERIFY(error.contains("comma"_L1));
        QVERIFY(scanner.hasError());
    }
    {
        GeminiJsonArrayScanner scanner;
        QString error;
        QCOMPARE(scanner.feed(" [ ] ", &error).size(), 0);
        QVERIFY(error.isEmpty());
        QVERIFY(scanner.closed());
        scanner.feed("x", &error);
        QVERIFY(!error.isEmpty());
    }
    {
        GeminiJsonArrayScanner scanner(16);
        QString error;
        scanner.feed("[{\"text\":\"", &error);
        QVERIFY(error.isEmpty());
        scanner.feed("0123456789", &error);
        QVERIFY(error.contains("larger"_L1));
    }
    {
        // Through the decoder: an element that is not JSON.
        const Decoded decoded = decode({"[{\"candidates\":[}]"});
        QVERIFY(!decoded.error.isEmpty());
        QVERIFY(!decoded.complete);
    }
}

void GeminiCodecTest::sseStreamErrorChunk()
{
    const Decoded decoded = decode(
        {"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],"
         "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}\r\n\r\n"
         "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"
         "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}]}}]}\r\n\r\n"});
    QVERIFY(decoded.error.isEmpty());
    QVERIFY(!decoded.complete);
    QCOMPARE(describe(decoded.events), (QStringList{u"start r gemini-2.5-flash in=0"_s, u"block 0 kind=0  "_s,
                                                    u"text 0 Hel"_s, u"error overloaded_error The model is overloaded."_s}));
}

void GeminiCodecTest::sseStreamWithoutFinishIsIncomplete()
{
    const Decoded decoded = decode({"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":"
                                    "\"model\"},\"index\":0}],\"responseId\":\"r\"}\n\n"});
    QVERIFY(decoded.error.isEmpty());
    QVERIFY(!decoded.complete);
    QCOMPARE(describe(decoded.events).last(), u"text 0 Hel"_s);

    // A last event the upstream did not end with a blank line still counts.
    const Decoded unterminated = decode(
        {"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"finishReason\":"
         "\"MAX_TOKENS\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":2,\"candidatesTokenCount\":1}}"});
    QVERIFY(unterminated.complete);
    QCOMPARE(describe(unterminated.events),
             (QStringList{u"start   in=2"_s, u"block 0 kind=0  "_s, u"text 0 Hi"_s, u"stop 0"_s,
                          u"finish 1 in=2 out=1 reasoning=0"_s, u"end"_s}));
}

void GeminiCodecTest::sseStreamPromptBlocked()
{
    const Decoded decoded = decode({"data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":"
                                    "{\"promptTokenCount\":7,\"totalTokenCount\":7},\"responseId\":\"b\"}\r\n\r\n"});
    QVERIFY(decoded.complete);
    QCOMPARE(describe(decoded.events),
             (QStringList{u"start b  in=7"_s, u"finish 4 in=7 out=0 reasoning=0"_s, u"end"_s}));
}

void GeminiCodecTest::streamThoughtSignatures()
{
    // A thought's signature arrives on a thought part; it ends the Thinking
    // block (the IR keeps it on BlockStop) and goes back out as a part.
    const Decoded decoded = decode(
        {"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hm.\",\"thought\":true}],\"role\":\"model\"}}],"
         "\"responseId\":\"s\"}\r\n\r\n"
         "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\",\"thought\":true,\"thoughtSignature\":\"c2ln\"}],"
         "\"role\":\"model\"}}]}\r\n\r\n"
         "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Yes.\",\"thoughtSignature\":\"b3RoZXI=\"}],"
         "\"role\":\"model\"},\"finishReason\":\"STOP\"}]}\r\n\r\n"});
    QVERIFY(decoded.complete);
    QCOMPARE(describe(decoded.events), (QStringList{u"start s  in=0"_s, u"block 0 kind=4  "_s, u"text 0 Hm."_s, u"stop 0"_s,
                                                    u"block 1 kind=0  "_s, u"text 1 Yes."_s, u"stop 1"_s,
                                                    u"finish 0 in=0 out=0 reasoning=0"_s, u"end"_s}));
    QCOMPARE(decoded.events.at(3).part.signature, QByteArray("c2ln"));
    // A signature on an answer part has no IR form.
    QVERIFY(decoded.events.at(6).part.signature.isEmpty());

    auto encoder = gemini().streamEncoder(u"m"_s, false, true);
    QByteArray out;
    for (const ir::StreamEvent &e : decoded.events)
        out += encoder->encode(e);
    QVERIFY2(out.contains("{\"text\":\"\",\"thought\":true,\"thoughtSignature\":\"c2ln\"}"), out.constData());
    QCOMPARE(out.count("data: "), 4); // thought, signature, text, finish
}

void GeminiCodecTest::encoderArrayForm()
{
    auto encoder = gemini().streamEncoder(u"gemini-pub"_s, false, false);
    QByteArray out;
    ir::StreamEvent start = streamEvent(ir::StreamEvent::Kind::Start);
    start.id = u"resp-1"_s;
    out += encoder->encode(start);
    QCOMPARE(out, QByteArray()); // Gemini has no start chunk
    ir::StreamEvent thinking = streamEvent(ir::StreamEvent::Kind::BlockStart, 0);
    thinking.part.kind = ir::ContentPart::Kind::Thinking;
    out += encoder->encode(thinking);
    ir::StreamEvent thought = streamEvent(ir::StreamEvent::Kind::TextDelta, 0);
    thought.text = u"hm"_s;
    out += encoder->encode(thought);
    out += encoder->encode(streamEvent(ir::StreamEvent::Kind::BlockStop, 0));
    out += encoder->encode(streamEvent(ir::StreamEvent::Kind::BlockStart, 1));
    ir::StreamEvent text = streamEvent(ir::StreamEvent::Kind::TextDelta, 1);
    text.text = u"Hi"_s;
    out += encoder->encode(text);
    out += encoder->encode(streamEvent(ir::StreamEvent::Kind::BlockStop, 1));
    ir::StreamEvent call = streamEvent(ir::StreamEvent::Kind::BlockStart, 2);
    call.part.kind = ir::ContentPart::Kind::ToolCall;
    call.part.toolCallId = u"toolu_1"_s;
    call.part.toolName = u"f"_s;
    out += encoder->encode(call);
    for (const QByteArray &piece : {QByteArray("{\"a\""), QByteArray(":1}")}) {
        ir::StreamEvent args = streamEvent(ir::StreamEvent::Kind::ArgumentsDelta, 2);
        args.arguments = piece;
        QCOMPARE(encoder->encode(args), QByteArray()); // a call goes whole
    }
    out += encoder->encode(streamEvent(ir::StreamEvent::Kind::BlockStop, 2));
    ir::StreamEvent finish = streamEvent(ir::StreamEvent::Kind::Finish);
    finish.stopReason = ir::StopReason::ToolUse;
    finish.usage.present = true;
    finish.usage.inputTokens = 10;
    finish.usage.outputTokens = 8;
    finish.usage.reasoningTokens = 5;
    const QByteArray held = encoder->encode(finish);
    QCOMPARE(held, QByteArray()); // finish and usage wait for End
    const QByteArray end = encoder->encode(streamEvent(ir::StreamEvent::Kind::End));
    QVERIFY(end.endsWith(']'));
    out += end;

    const QByteArray expected =
        "[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hm\",\"thought\":true}],\"role\":\"model\"},\"index\":0}],"
        "\"modelVersion\":\"gemini-pub\",\"responseId\":\"resp-1\"}"
        ",\r\n{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}],"
        "\"modelVersion\":\"gemini-pub\",\"responseId\":\"resp-1\"}"
        ",\r\n{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"args\":{\"a\":1},\"name\":\"f\"}}],\"role\":"
        "\"model\"},\"index\":0}],\"modelVersion\":\"gemini-pub\",\"responseId\":\"resp-1\"}"
        ",\r\n{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\","
        "\"index\":0}],\"modelVersion\":\"gemini-pub\",\"responseId\":\"resp-1\",\"usageMetadata\":{\"candidatesTokenCount\":3,"
        "\"promptTokenCount\":10,\"thoughtsTokenCount\":5,\"totalTokenCount\":18}}]";
    QCOMPARE(out, expected);
    QVERIFY(QJsonDocument::fromJson(out).isArray());

    // What it wrote reads back the same through the decoder.
    const Decoded again = decode({out});
    QVERIFY(again.complete);
    QCOMPARE(describe(again.events),
             (QStringList{u"start resp-1 gemini-pub in=0"_s, u"block 0 kind=4  "_s, u"text 0 hm"_s, u"stop 0"_s,
                          u"block 1 kind=0  "_s, u"text 1 Hi"_s, u"stop 1"_s, u"block 2 kind=2 call_0 f"_s,
                          u"args 2 {\"a\":1}"_s, u"stop 2"_s, u"finish 3 in=10 out=8 reasoning=5"_s, u"end"_s}));
    // Nothing after the end.
    QCOMPARE(encoder->encode(text), QByteArray());
}

void GeminiCodecTest::encoderArrayFormError()
{
    ir::StreamEvent error = streamEvent(ir::StreamEvent::Kind::Error);
    error.message = u"upstream broke off"_s;
    {
        auto encoder = gemini().streamEncoder(u"m"_s, false, false);
        const QByteArray out = encoder->encode(error);
        QCOMPARE(out, QByteArray("[{\"error\":{\"code\":500,\"message\":\"upstream broke off\",\"status\":\"INTERNAL\"}}]"));
        QCOMPARE(gemini().decodeErrorMessage(out), u"upstream broke off"_s);
    }
    {
        auto encoder = gemini().streamEncoder(u"m"_s, false, false);
        encoder->encode(streamEvent(ir::StreamEvent::Kind::Start));
        encoder->encode(streamEvent(ir::StreamEvent::Kind::BlockStart, 0));
        ir::StreamEvent text = streamEvent(ir::StreamEvent::Kind::TextDelta, 0);
        text.text = u"a"_s;
        QByteArray out = encoder->encode(text);
        out += encoder->encode(error);
        QVERIFY(out.startsWith('['));
        QVERIFY(out.endsWith("\"INTERNAL\"}}]"));
        const QJsonArray array = QJsonDocument::fromJson(out).array();
        QCOMPARE(array.size(), 2);
        QCOMPARE(array.at(1).toObject().value("error"_L1).toObject().value("code"_L1).toInt(), 500);
    }
}

void GeminiCodecTest::encoderSseForm()
{
    auto encoder = gemini().streamEncoder(u"m"_s, true, true);
    QByteArray out = encoder->encode(streamEvent(ir::StreamEvent::Kind::Start));
    out += encoder->encode(streamEvent(ir::StreamEvent::Kind::BlockStart, 0));
    ir::StreamEvent text = streamEvent(ir::StreamEvent::Kind::TextDelta, 0);
    text.text = u"Hi"_s;
    out += encoder->encode(text);
    out += encoder->encode(streamEvent(ir::StreamEvent::Kind::BlockStop, 0));
    out += encoder->encode(streamEvent(ir::StreamEvent::Kind::Finish));
    const QByteArray end = encoder->encode(streamEvent(ir::StreamEvent::Kind::End));
    QVERIFY(end.startsWith("data: {"));
    out += end;
    QCOMPARE(out, QByteArray("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},"
                             "\"index\":0}],\"modelVersion\":\"m\"}\r\n\r\n"
                             "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},"
                             "\"finishReason\":\"STOP\",\"index\":0}],\"modelVersion\":\"m\"}\r\n\r\n"));
    ir::StreamEvent error = streamEvent(ir::StreamEvent::Kind::Error);
    error.message = u"late"_s;
    QCOMPARE(encoder->encode(error), QByteArray()); // the stream already ended
}

void GeminiCodecTest::encoderErrorCodes()
{
    // Gemini's own codes for overload and rate limits, so that SDKs retry.
    const QList<std::tuple<QString, int, QString>> cases{
        {u"overloaded_error"_s, 503, u"UNAVAILABLE"_s},
        {u"rate_limit_error"_s, 429, u"RESOURCE_EXHAUSTED"_s},
        {u"stream_interrupted"_s, 500, u"INTERNAL"_s},
        {QString(), 500, u"INTERNAL"_s},
    };
    for (const auto &[code, status, name] : cases) {
        auto encoder = gemini().streamEncoder(u"m"_s, false, true);
        ir::StreamEvent error = streamEvent(ir::StreamEvent::Kind::Error);
        error.code = code;
        error.message = u"boom"_s;
        const QByteArray out = encoder->encode(error);
        QVERIFY(out.startsWith("data: "));
        QVERIFY(out.endsWith("\r\n\r\n"));
        const QJsonObject body = object(out.sliced(6).trimmed()).value("error"_L1).toObject();
        QCOMPARE(body.value("code"_L1).toInt(), status);
        QCOMPARE(body.value("status"_L1).toString(), name);
        QCOMPARE(body.value("message"_L1).toString(), u"boom"_s);
    }
}

QTEST_GUILESS_MAIN(GeminiCodecTest)
#include "tst_geminicodec.moc"
