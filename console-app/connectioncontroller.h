#pragma once

#include "adminapi.h"
#include "requesterror.h"

#include <QObject>
#include <QUrl>

namespace gw::console {

class ConnectionSettings;

// Which daemon the console talks to, and whether that works. Every admin call
// of every page passes through here (this is the AdminApi the pages get), so
// the connection state follows the real replies: no separate probe that
// could disagree with what the pages see.
class ConnectionController : public QObject, public AdminApi
{
    Q_OBJECT

public:
    enum class State {
        Disconnected, // no endpoint yet, or the last one was not usable
        Connecting,   // endpoint set, no answer yet
        Connected,    // the daemon answered and accepted the token
        Failed,       // unreachable, or the token was refused
    };
    Q_ENUM(State)

    // `transport` does the actual calls and must outlive this object;
    // `settings` (may be null) stores the connection once it worked.
    ConnectionController(AdminApi *transport, ConnectionSettings *settings, QObject *parent = nullptr);

    // Accepts "host:port" as well as full URLs; http is assumed when the
    // scheme is missing. Returns false (and says why in lastError()) when the
    // URL or token is unusable; then nothing is sent.
    bool connectTo(const QString &url, const QString &token, bool rememberToken);
    // The URL connectTo() would use, or an invalid QUrl.
    static QUrl normalizedUrl(const QString &text);

    State state() const { return m_state; }
    QUrl baseUrl() const { return m_baseUrl; }
    RequestError lastError() const { return m_lastError; }
    // One line for the status bar.
    QString statusText() const;

    // AdminApi; the endpoint is changed through connectTo().
    void setEndpoint(const QUrl &baseUrl, const QString &token) override;
    void get(const QString &path, Callback done) override;
    void post(const QString &path, const QJsonObject &body, Callback done) override;
    void patch(const QString &path, const QJsonObject &body, Callback done) override;
    void remove(const QString &path, Callback done) override;

Q_SIGNALS:
    void stateChanged(gw::console::ConnectionController::State state);
    // A new endpoint is in place; pages should load again.
    void endpointChanged();
    // Any failed call while connected, for a transient message.
    void requestFailed(const gw::console::RequestError &error);
    // The connection worked but could not be stored (or the token could not
    // be made private, in which case it was not stored).
    void settingsNotSaved(const QString &fileName);

private:
    Callback observe(Callback done);
    void onReply(quint64 generation, const Reply &reply);
    void update(State state, const RequestError &error);

    AdminApi *m_transport;
    ConnectionSettings *m_settings;
    QUrl m_baseUrl;
    // Kept only in memory, and only so that it can be stored once it worked
    // if the operator asked for that.
    QString m_token;
    bool m_rememberToken = false;
    bool m_saved = false;
    quint64 m_generation = 0;
    State m_state = State::Disconnected;
    RequestError m_lastError;
};

} // namespace gw::console
