#include "connectioncontroller.h"

#include "connectionsettings.h"

#include <QPointer>

namespace gw::console {

ConnectionController::ConnectionController(AdminApi *transport, ConnectionSettings *settings, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_settings(settings)
{
}

QUrl ConnectionController::normalizedUrl(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (!trimmed.contains(QStringLiteral("://")))
        trimmed.prepend(QStringLiteral("http://"));
    QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        || url.hasQuery() || url.hasFragment())
        return {};
    // The admin API lives under /admin/v1 of the daemon's root; a path the
    // operator pasted from a browser would otherwise be doubled.
    if (url.path().endsWith(QLatin1String("/admin/v1")) || url.path().endsWith(QLatin1String("/admin/v1/")))
        url.setPath(url.path().left(url.path().lastIndexOf(QLatin1String("/admin/v1"))));
    return url;
}

bool ConnectionController::connectTo(const QString &url, const QString &token, bool rememberToken)
{
    const QUrl normalized = normalizedUrl(url);
    RequestError invalid;
    if (!normalized.isValid())
        invalid = RequestError(0, tr("enter the daemon's address, such as http://127.0.0.1:8080"));
    else if (token.trimmed().isEmpty())
        invalid = RequestError(0, tr("enter an admin token"));
    if (invalid.isSet()) {
        update(State::Disconnected, invalid);
        return false;
    }

    ++m_generation;
    m_baseUrl = normalized;
    m_token = token.trimmed();
    m_rememberToken = rememberToken;
    m_saved = false;
    m_transport->setEndpoint(m_baseUrl, m_token);
    update(State::Connecting, {});
    Q_EMIT endpointChanged();
    return true;
}

QString ConnectionController::statusText() const
{
    // Never the token, and no user info a URL might carry.
    const QString where = m_baseUrl.toDisplayString(QUrl::RemoveUserInfo);
    switch (m_state) {
    case State::Disconnected:
        return m_lastError.isSet() ? tr("Not connected: %1").arg(m_lastError.message()) : tr("Not connected");
    case State::Connecting:
        return tr("Connecting to %1…").arg(where);
    case State::Connected:
        return tr("Connected to %1").arg(where);
    case State::Failed:
        return tr("Connection to %1 failed — %2").arg(where, m_lastError.displayText());
    }
    return {};
}

void ConnectionController::setEndpoint(const QUrl &baseUrl, const QString &token)
{
    connectTo(baseUrl.toString(), token, false);
}

void ConnectionController::get(const QString &path, Callback done)
{
    m_transport->get(path, observe(std::move(done)));
}

void ConnectionController::post(const QString &path, const QJsonObject &body, Callback done)
{
    m_transport->post(path, body, observe(std::move(done)));
}

void ConnectionController::patch(const QString &path, const QJsonObject &body, Callback done)
{
    m_transport->patch(path, body, observe(std::move(done)));
}

void ConnectionController::remove(const QString &path, Callback done)
{
    m_transport->remove(path, observe(std::move(done)));
}

AdminApi::Callback ConnectionController::observe(Callback done)
{
    QPointer<ConnectionController> self(this);
    const quint64 generation = m_generation;
    return [self, generation, done = std::move(done)](const Reply &reply) {
        if (self)
            self->onReply(generation, reply);
        if (done)
            done(reply);
    };
}

void ConnectionController::onReply(quint64 generation, const Reply &reply)
{
    // A late answer from the daemon the console was connected to before says
    // nothing about the current one.
    if (generation != m_generation)
        return;

    if (reply.status == 0 || reply.status == 401) {
        update(State::Failed, RequestError::fromReply(reply));
        return;
    }

    // Any other answer, even an error, means the daemon is there and took the token.
    update(State::Connected, {});
    if (!m_saved && m_settings) {
        m_saved = true;
        if (!m_settings->save(m_baseUrl, m_token, m_rememberToken))
            Q_EMIT settingsNotSaved(m_settings->fileName());
    }
    if (!reply.ok())
        Q_EMIT requestFailed(RequestError::fromReply(reply));
}

void ConnectionController::update(State state, const RequestError &error)
{
    // The state alone may stay the same while the text changes (another
    // error), and the status bar shows the text.
    if (m_state == state && m_lastError == error)
        return;
    m_state = state;
    m_lastError = error;
    Q_EMIT stateChanged(m_state);
}

} // namespace gw::console
