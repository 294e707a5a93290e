#pragma once

#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace gw {

// Money is integer micro-credits everywhere (1 credit = 1,000,000 micro-credits);
// prices are integers too (micro-credits per million tokens, per request, ...).
// The API shows decimal credits; this class is the one place that converts.
class Credits
{
public:
    static constexpr qint64 kMicroPerCredit = 1'000'000;
    static constexpr int kMaxDecimals = 6;
    // One billion credits: far above any real balance and still exact in a
    // JSON double (2^53 micro-credits is about nine billion credits).
    static constexpr qint64 kMaxAbsMicro = 1'000'000'000LL * kMicroPerCredit;

    // Parses a decimal amount exactly, from a JSON number or a JSON string such
    // as "12.5". More than six decimal places, anything that is not a finite
    // number, or a magnitude above kMaxAbsMicro is an error (message in *error).
    static std::optional<qint64> parseMicro(const QJsonValue &value, QString *error);
    static std::optional<qint64> parseMicro(QByteArrayView decimal, QString *error);

    // The decimal form of a micro-credit amount, as a JSON number.
    static QJsonValue toJson(qint64 micro);
    // The decimal form as text, without trailing zeros: 12500000 -> "12.5".
    static QString format(qint64 micro);
};

} // namespace gw
