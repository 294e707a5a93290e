#include "console.h"

#include "channelscontroller.h"
#include "channelspage.h"
#include "commandlineoptions.h"
#include "connectionbar.h"
#include "connectioncontroller.h"
#include "connectionsettings.h"
#include "mainwindow.h"

#include <QLineEdit>

namespace gw::console {

Console::Console(AdminApi *transport, ConnectionSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_connection(new ConnectionController(transport, settings, this))
    , m_channels(new ChannelsController(m_connection, this))
    , m_window(std::make_unique<MainWindow>(m_connection))
{
    m_window->addPage(MainWindow::Area::Channels, new ChannelsPage(m_channels));
}

Console::~Console() = default;

void Console::start(const CommandLineOptions &options)
{
    const ConnectionSettings::Stored stored = m_settings ? m_settings->load() : ConnectionSettings::Stored();
    const QString url = !options.url.isEmpty() ? options.url : stored.url.toString();
    const QString token = !options.token.isEmpty() ? options.token : stored.token;

    ConnectionBar *bar = m_window->connectionBar();
    bar->setUrl(url);
    bar->setToken(token);
    bar->setRememberToken(stored.rememberToken);

    if (!url.isEmpty() && !token.isEmpty())
        m_connection->connectTo(url, token, stored.rememberToken);
    else if (url.isEmpty())
        bar->urlEdit()->setFocus();
    else
        bar->tokenEdit()->setFocus();
}

} // namespace gw::console
