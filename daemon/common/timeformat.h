#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

namespace gw {

// Timestamps are Unix milliseconds inside, RFC 3339 in UTC outside.
class TimeFormat
{
public:
    static QString rfc3339(qint64 ms);
    static QJsonValue json(const std::optional<qint64> &ms);
    static std::optional<qint64> parse(const QString &rfc3339);
    static qint64 nowMs();
};

} // namespace gw
