#include "fakerecordedrequest.h"

#include <QJsonDocument>

namespace gw::test {

QJsonObject FakeRecordedRequest::jsonBody() const
{
    return QJsonDocument::fromJson(body).object();
}

QJsonObject FakeRecordedRequest::toJson() const
{
    QJsonObject headerObject;
    for (const auto &[name, value] : headers) {
        const QString key = QString::fromLatin1(name);
        // Repeated names are joined as HTTP permits, so the object stays flat.
        const QString existing = headerObject.value(key).toString();
        const QString text = QString::fromUtf8(value);
        headerObject.insert(key, existing.isEmpty() ? text : existing + QStringLiteral(", ") + text);
    }
    QJsonObject object;
    object.insert(QStringLiteral("method"), QString::fromLatin1(method));
    object.insert(QStringLiteral("path"), path);
    object.insert(QStringLiteral("query"), query);
    object.insert(QStringLiteral("headers"), headerObject);
    object.insert(QStringLiteral("body"), QString::fromUtf8(body));
    object.insert(QStringLiteral("received_at"), received.toString(Qt::ISODateWithMs));
    return object;
}

} // namespace gw::test
