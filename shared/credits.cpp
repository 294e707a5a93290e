#include "credits.h"

#include <QLocale>

#include <cmath>

namespace gw {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace

std::optional<qint64> Credits::parseMicro(QByteArrayView text, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<qint64> {
        if (error)
            *error = why;
        return std::nullopt;
    };

    qsizetype i = 0;
    const qsizetype n = text.size();
    bool negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) {
        negative = text[i] == '-';
        ++i;
    }
    // All significant digits, with the position of the decimal point among them.
    QByteArray digits;
    qsizetype fractionDigits = 0;
    bool seenPoint = false;
    bool anyDigit = false;
    for (; i < n; ++i) {
        const char c = text[i];
        if (isDigit(c)) {
            anyDigit = true;
            digits.append(c);
            if (seenPoint)
                ++fractionDigits;
        } else if (c == '.' && !seenPoint) {
            seenPoint = true;
        } else {
            break;
        }
    }
    if (!anyDigit)
        return fail(QStringLiteral("must be a decimal number"));

    qint64 exponent = 0;
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < n && (text[i] == '-' || text[i] == '+')) {
            expNegative = text[i] == '-';
            ++i;
        }
        if (i >= n || !isDigit(text[i]))
            return fail(QStringLiteral("must be a decimal number"));
        for (; i < n && isDigit(text[i]); ++i) {
            exponent = exponent * 10 + (text[i] - '0');
            if (exponent > 1000)
                return fail(QStringLiteral("is out of range"));
        }
        if (expNegative)
            exponent = -exponent;
    }
    if (i != n)
        return fail(QStringLiteral("must be a decimal number"));

    // value = digits * 10^(exponent - fractionDigits); micro = value * 10^6.
    qint64 shift = exponent - fractionDigits + kMaxDecimals;
    while (shift < 0) {
        if (digits.isEmpty())
            break;
        if (digits.back() != '0')
            return fail(QStringLiteral("has more than %1 decimal places").arg(kMaxDecimals));
        digits.chop(1);
        ++shift;
    }
    // Strip leading zeros so that the length says the magnitude.
    qsizetype firstNonZero = 0;
    while (firstNonZero < digits.size() && digits[firstNonZero] == '0')
        ++firstNonZero;
    digits = digits.mid(firstNonZero);
    if (digits.isEmpty())
        return qint64(0);
    if (digits.size() + shift > 19)
        return fail(QStringLiteral("is out of range"));
    qint64 micro = 0;
    for (char c : std::as_const(digits))
        micro = micro * 10 + (c - '0');
    for (qint64 s = 0; s < shift; ++s) {
        if (micro > kMaxAbsMicro)
            break;
        micro *= 10;
    }
    if (micro > kMaxAbsMicro)
        return fail(QStringLiteral("is out of range"));
    return negative ? -micro : micro;
}

std::optional<qint64> Credits::parseMicro(const QJsonValue &value, QString *error)
{
    if (value.isString())
        return parseMicro(QByteArrayView(value.toString().toUtf8()), error);
    if (!value.isDouble()) {
        if (error)
            *error = QStringLiteral("must be a decimal number");
        return std::nullopt;
    }
    const double d = value.toDouble();
    if (!std::isfinite(d)) {
        if (error)
            *error = QStringLiteral("must be a finite number");
        return std::nullopt;
    }
    // The shortest text that reads back as the same double is what the
    // caller wrote for every amount of up to 15 significant digits; parse
    // that text exactly instead of multiplying a binary fraction.
    const QByteArray text = QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    return parseMicro(QByteArrayView(text), error);
}

QString Credits::format(qint64 micro)
{
    const bool negative = micro < 0;
    // Work on the unsigned magnitude so that the most negative value formats too.
    const quint64 magnitude = negative ? quint64(0) - quint64(micro) : quint64(micro);
    const quint64 whole = magnitude / kMicroPerCredit;
    quint64 fraction = magnitude % kMicroPerCredit;
    QString out = negative ? QStringLiteral("-") : QString();
    out += QString::number(whole);
    if (fraction != 0) {
        QString frac = QString::number(fraction).rightJustified(kMaxDecimals, QLatin1Char('0'));
        while (frac.endsWith(QLatin1Char('0')))
            frac.chop(1);
        out += QLatin1Char('.') + frac;
    }
    return out;
}

QJsonValue Credits::toJson(qint64 micro)
{
    // Exact as a double up to 2^53 micro-credits; QJsonDocument writes the
    // shortest round-trip form, so 150000 micro-credits reads "0.15".
    return QJsonValue(double(micro) / double(kMicroPerCredit));
}

} // namespace gw
