#include "fakereply.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringBuilder>

namespace gw::test {

FakeReply FakeReply::json(int status, const QJsonObject &object)
{
    return json(status, QJsonDocument(object));
}

FakeReply FakeReply::json(int status, const QJsonDocument &document)
{
    FakeReply reply;
    reply.status = status;
    reply.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    reply.body = document.toJson(QJsonDocument::Compact);
    return reply;
}

FakeReply FakeReply::eventStream(QList<QByteArray> events)
{
    FakeReply reply;
    reply.streaming = true;
    reply.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/event-stream")});
    reply.headers.append({QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache")});
    reply.events = std::move(events);
    return reply;
}

QByteArray FakeReply::sseData(const QJsonObject &object)
{
    return sseData(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QByteArray FakeReply::sseData(const QByteArray &payload)
{
    return QByteArrayLiteral("data: ") % payload % QByteArrayLiteral("\n\n");
}

QByteArray FakeReply::sseEvent(QByteArrayView name, const QJsonObject &object)
{
    return QByteArrayLiteral("event: ") % name.toByteArray() % QByteArrayLiteral("\ndata: ")
        % QJsonDocument(object).toJson(QJsonDocument::Compact) % QByteArrayLiteral("\n\n");
}

void FakeReply::makeMalformed()
{
    if (!streaming) {
        // Cutting a JSON object anywhere before its last byte leaves it unclosed.
        body.truncate(body.size() / 2);
        if (body.isEmpty())
            body = QByteArrayLiteral("{");
        return;
    }
    QList<QByteArray> broken;
    if (!events.isEmpty())
        broken.append(events.first());
    const QByteArray victim = events.size() > 2 ? events.at(1) : QByteArrayLiteral("data: {\"broken\": true}\n\n");
    // Keep the event line and the "data: " prefix so the frame still parses
    // as SSE and only the JSON fails. Pieces of a JSON array have no prefix.
    const qsizetype dataAt = victim.indexOf("data: ");
    const qsizetype from = dataAt < 0 ? 0 : dataAt + 6;
    qsizetype end = victim.size();
    while (end > from && (victim.at(end - 1) == '\n' || victim.at(end - 1) == '\r'))
        --end;
    broken.append(victim.left(from + (end - from) / 2) % QByteArrayLiteral("\n\n"));
    if (events.size() > 1)
        broken.append(events.last());
    events = std::move(broken);
}

} // namespace gw::test
