#pragma once

#include <QHash>
#include <QMainWindow>
#include <QSet>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace gw::console {

class ConnectionBar;
class ConnectionController;
class ConsolePage;

// The console's one window: connection bar on top, the operator areas on the
// left, the current area's page in the middle, connection state below.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // In navigation order. Areas without a page are listed but disabled
    // until a later version adds theirs.
    enum class Area { Channels, Models, Users, Usage, Tasks, Statistics, Gallery };
    Q_ENUM(Area)

    explicit MainWindow(ConnectionController *connection, QWidget *parent = nullptr);

    void addPage(Area area, ConsolePage *page);
    ConsolePage *page(Area area) const { return m_pages.value(area); }
    void showArea(Area area);
    Area currentArea() const;

    static QString areaTitle(Area area);
    static QList<Area> areas();

    ConnectionBar *connectionBar() const { return m_connectionBar; }
    QListWidget *navigation() const { return m_navigation; }
    QStackedWidget *stack() const { return m_stack; }
    QLabel *connectionLabel() const { return m_connectionLabel; }

public Q_SLOTS:
    void reloadCurrentPage();

private:
    void createMenus();
    void onNavigationChanged(int row);
    void onEndpointChanged();
    void updateConnectionState();
    void showAbout();

    ConnectionController *m_connection;
    ConnectionBar *m_connectionBar;
    QListWidget *m_navigation;
    QStackedWidget *m_stack;
    QLabel *m_connectionLabel;
    QHash<Area, ConsolePage *> m_pages;
    // Pages whose data belongs to an earlier connection; they load when shown.
    QSet<ConsolePage *> m_stale;
};

} // namespace gw::console
