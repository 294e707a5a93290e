#pragma once

#include <QObject>

#include <memory>

namespace gw::console {

class AdminApi;
class ChannelsController;
class CommandLineOptions;
class ConnectionController;
class ConnectionSettings;
class MainWindow;

// Puts one console together: the connection, the page controllers, the
// window and its pages. main() hands it the real network and settings;
// tests hand it fakes.
class Console : public QObject
{
    Q_OBJECT

public:
    // Neither `transport` nor `settings` is owned; both must outlive this.
    Console(AdminApi *transport, ConnectionSettings *settings, QObject *parent = nullptr);
    ~Console() override;

    // Fills the connection bar from the command line, the environment and
    // the stored settings (in that order of precedence) and connects at once
    // when both a URL and a token are known.
    void start(const CommandLineOptions &options);

    MainWindow *window() const { return m_window.get(); }
    ConnectionController *connection() const { return m_connection; }
    ChannelsController *channels() const { return m_channels; }

private:
    ConnectionSettings *m_settings;
    ConnectionController *m_connection;
    ChannelsController *m_channels;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace gw::console
