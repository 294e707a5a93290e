#include "fakecontrolapi.h"

#include "fakebehavior.h"
#include "fakeupstreamstate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw::test {

namespace {

FakeReply failure(int status, const QString &message)
{
    QJsonObject root;
    root.insert(QStringLiteral("error"), message);
    return FakeReply::json(status, root);
}

FakeReply ok()
{
    QJsonObject root;
    root.insert(QStringLiteral("ok"), true);
    return FakeReply::json(200, root);
}

} // namespace

FakeControlApi::FakeControlApi(std::shared_ptr<FakeUpstreamState> state, std::function<void()> reset)
    : m_state(std::move(state))
    , m_reset(std::move(reset))
{
}

bool FakeControlApi::isControlPath(const QString &path)
{
    return path.startsWith(QLatin1String("/_fake/"));
}

FakeReply FakeControlApi::handle(const FakeRecordedRequest &request) const
{
    const QString route = request.path.mid(7);
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";

    if (post && (route == QLatin1String("enqueue") || route == QLatin1String("default"))) {
        QJsonParseError parseError;
        const QJsonDocument document = request.body.trimmed().isEmpty()
            ? QJsonDocument(QJsonObject())
            : QJsonDocument::fromJson(request.body, &parseError);
        if (!request.body.trimmed().isEmpty() && parseError.error != QJsonParseError::NoError)
            return failure(400, QStringLiteral("invalid JSON: ") + parseError.errorString());
        QJsonArray items;
        if (document.isArray() && route == QLatin1String("enqueue"))
            items = document.array();
        else if (document.isObject())
            items.append(document.object());
        else
            return failure(400, QStringLiteral("expected a behaviour object") + (route == QLatin1String("enqueue")
                                                                                     ? QStringLiteral(" or an array of them")
                                                                                     : QString()));
        // Validate all first so that a bad array enqueues nothing.
        QList<FakeBehavior> behaviors;
        for (const QJsonValue &item : std::as_const(items)) {
            QString error;
            const std::optional<FakeBehavior> behavior = FakeBehavior::fromJson(item.toObject(), &error);
            if (!item.isObject() || !behavior)
                return failure(400, error.isEmpty() ? QStringLiteral("expected a behaviour object") : error);
            behaviors.append(*behavior);
        }
        if (route == QLatin1String("default")) {
            m_state->setDefaultBehavior(behaviors.first());
            return ok();
        }
        for (const FakeBehavior &behavior : std::as_const(behaviors))
            m_state->enqueue(behavior);
        QJsonObject root;
        root.insert(QStringLiteral("queued"), int(behaviors.size()));
        return FakeReply::json(200, root);
    }
    if (get && route == QLatin1String("default"))
        return FakeReply::json(200, m_state->defaultBehavior().toJson());
    if (get && route == QLatin1String("requests")) {
        QJsonArray array;
        const QList<FakeRecordedRequest> requests = m_state->requests();
        for (const FakeRecordedRequest &recorded : requests)
            array.append(recorded.toJson());
        return FakeReply::json(200, QJsonDocument(array));
    }
    if (post && route == QLatin1String("clear_requests")) {
        m_state->clearRequests();
        return ok();
    }
    if (post && route == QLatin1String("reset")) {
        m_reset();
        return ok();
    }
    if (get && route == QLatin1String("stats")) {
        QJsonObject root;
        root.insert(QStringLiteral("requests"), m_state->requestCount());
        root.insert(QStringLiteral("client_aborts"), m_state->clientAborts());
        root.insert(QStringLiteral("open_connections"), m_state->openConnections());
        root.insert(QStringLiteral("queued"), m_state->queuedCount());
        return FakeReply::json(200, root);
    }
    if (post && route == QLatin1String("api_key")) {
        const QJsonValue key = QJsonDocument::fromJson(request.body).object().value(QLatin1String("key"));
        if (!key.isString())
            return failure(400, QStringLiteral("expected {\"key\": \"...\"}"));
        m_state->setRequiredApiKey(key.toString());
        return ok();
    }
    return failure(404, QStringLiteral("no control route ") + QString::fromLatin1(request.method) + QLatin1Char(' ')
                       + request.path);
}

} // namespace gw::test
