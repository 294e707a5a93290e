#include "credits.h"

#include <QJsonValue>
#include <QTest>

using namespace gw;

class TestCredits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesDecimalsExactly_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("micro");
        QTest::newRow("integer") << QByteArray("25") << qint64(25'000'000);
        QTest::newRow("fraction") << QByteArray("0.15") << qint64(150'000);
        QTest::newRow("six decimals") << QByteArray("0.000001") << qint64(1);
        QTest::newRow("trailing zeros beyond six") << QByteArray("1.50000000") << qint64(1'500'000);
        QTest::newRow("negative") << QByteArray("-2.5") << qint64(-2'500'000);
        QTest::newRow("exponent") << QByteArray("1.5e-05") << qint64(15);
        QTest::newRow("positive exponent") << QByteArray("2E3") << qint64(2'000'000'000);
        QTest::newRow("leading zeros") << QByteArray("007.25") << qint64(7'250'000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("one billion") << QByteArray("1000000000") << Credits::kMaxAbsMicro;
    }
    void parsesDecimalsExactly()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, micro);
        QString error;
        const auto parsed = Credits::parseMicro(QByteArrayView(text), &error);
        QVERIFY2(parsed.has_value(), qPrintable(error));
        QCOMPARE(*parsed, micro);
    }

    void refusesWhatIsNotExact_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("why");
        QTest::newRow("seven decimals") << QByteArray("0.1234567") << QStringLiteral("decimal places");
        QTest::newRow("tiny exponent") << QByteArray("1e-7") << QStringLiteral("decimal places");
        QTest::newRow("too large") << QByteArray("1000000000.000001") << QStringLiteral("out of range");
        QTest::newRow("huge exponent") << QByteArray("1e400") << QStringLiteral("out of range");
        QTest::newRow("letters") << QByteArray("12abc") << QStringLiteral("decimal number");
        QTest::newRow("empty") << QByteArray("") << QStringLiteral("decimal number");
        QTest::newRow("two points") << QByteArray("1.2.3") << QStringLiteral("decimal number");
        QTest::newRow("dangling exponent") << QByteArray("1e") << QStringLiteral("decimal number");
    }
    void refusesWhatIsNotExact()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, why);
        QString error;
        QVERIFY(!Credits::parseMicro(QByteArrayView(text), &error).has_value());
        QVERIFY2(error.contains(why), qPrintable(error));
    }

    void readsJsonNumbersThroughTheirShortestText()
    {
        QString error;
        // 0.1 + 0.2 style binary noise must not leak into the integer.
        QCOMPARE(*Credits::parseMicro(QJsonValue(0.15), &error), qint64(150'000));
        QCOMPARE(*Credits::parseMicro(QJsonValue(0.6), &error), qint64(600'000));
        QCOMPARE(*Credits::parseMicro(QJsonValue(123456.789012), &error), qint64(123'456'789'012));
        QVERIFY(!Credits::parseMicro(QJsonValue(0.1000001), &error).has_value());
        QCOMPARE(*Credits::parseMicro(QJsonValue(QStringLiteral("0.15")), &error), qint64(150'000));
        QVERIFY(!Credits::parseMicro(QJsonValue(true), &error).has_value());
        QVERIFY(!Credits::parseMicro(QJsonValue(), &error).has_value());
    }

    void formatsWithoutTrailingZeros()
    {
        QCOMPARE(Credits::format(150'000), QStringLiteral("0.15"));
        QCOMPARE(Credits::format(25'000'000), QStringLiteral("25"));
        QCOMPARE(Credits::format(-1), QStringLiteral("-0.000001"));
        QCOMPARE(Credits::format(0), QStringLiteral("0"));
        QCOMPARE(Credits::format(std::numeric_limits<qint64>::min()), QStringLiteral("-9223372036854.775808"));
    }

    void jsonRoundTripIsExact()
    {
        for (qint64 micro : {qint64(1), qint64(150'000), qint64(999'999), qint64(123'456'789'012), Credits::kMaxAbsMicro}) {
            QString error;
            const auto back = Credits::parseMicro(Credits::toJson(micro), &error);
            QVERIFY2(back.has_value(), qPrintable(error));
            QCOMPARE(*back, micro);
        }
    }
};

QTEST_GUILESS_MAIN(TestCredits)
#include "tst_credits.moc"
