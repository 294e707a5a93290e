#include "timeformat.h"

#include <QDateTime>

namespace gw {

QString TimeFormat::rfc3339(qint64 ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    return t.toString(ms % 1000 == 0 ? Qt::ISODate : Qt::ISODateWithMs);
}

QJsonValue TimeFormat::json(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(rfc3339(*ms)) : QJsonValue(QJsonValue::Null);
}

std::optional<qint64> TimeFormat::parse(const QString &text)
{
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
        return std::nullopt;
    return t.toMSecsSinceEpoch();
}

qint64 TimeFormat::nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace gw
