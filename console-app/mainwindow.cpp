#include "mainwindow.h"

#include "connectionbar.h"
#include "connectioncontroller.h"
#include "consolepage.h"

#include <version.h>

#include <QAction>
#include <QApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace gw::console {

namespace {

// How long a failed request stays in the status bar.
constexpr int MessageTimeoutMs = 10000;

} // namespace

MainWindow::MainWindow(ConnectionController *connection, QWidget *parent)
    : QMainWindow(parent)
    , m_connection(connection)
    , m_connectionBar(new ConnectionBar)
    , m_navigation(new QListWidget)
    , m_stack(new QStackedWidget)
    , m_connectionLabel(new QLabel)
{
    setWindowTitle(tr("Gateway Console"));
    setMinimumSize(800, 500);
    resize(1180, 720);

    for (const Area area : areas()) {
        auto *item = new QListWidgetItem(areaTitle(area), m_navigation);
        item->setData(Qt::UserRole, int(area));
        item->setFlags(Qt::NoItemFlags);
        item->setToolTip(tr("Not available in this version yet"));
        item->setSizeHint(QSize(0, 30));
    }
    m_navigation->setFixedWidth(170);
    m_navigation->setFrameShape(QFrame::StyledPanel);
    m_navigation->setSelectionMode(QAbstractItemView::SingleSelection);
    m_navigation->setSpacing(1);
    m_navigation->setAccessibleName(tr("Areas"));

    auto *separator = new QFrame;
    separator->setFrameShape(QFrame::HLine);
    separator->setFrameShadow(QFrame::Sunken);

    auto *body = new QHBoxLayout;
    body->setSpacing(12);
    body->addWidget(m_navigation);
    body->addWidget(m_stack, 1);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(12, 10, 12, 6);
    layout->setSpacing(10);
    layout->addWidget(m_connectionBar);
    layout->addWidget(separator);
    layout->addLayout(body, 1);
    setCentralWidget(central);

    m_connectionLabel->setTextFormat(Qt::PlainText);
    m_connectionLabel->setContentsMargins(6, 0, 6, 0);
    // A normal (not permanent) widget: a failed request's message covers it
    // for a few seconds, then the connection state shows again.
    statusBar()->addWidget(m_connectionLabel, 1);
    auto *versionLabel = new QLabel(tr("Version %1").arg(gw::productVersion()));
    versionLabel->setContentsMargins(6, 0, 6, 0);
    statusBar()->addPermanentWidget(versionLabel);

    createMenus();

    connect(m_navigation, &QListWidget::currentRowChanged, this, &MainWindow::onNavigationChanged);
    connect(m_connectionBar, &ConnectionBar::connectRequested, m_connection, &ConnectionController::connectTo);
    connect(m_connection, &ConnectionController::stateChanged, this, &MainWindow::updateConnectionState);
    connect(m_connection, &ConnectionController::endpointChanged, this, &MainWindow::onEndpointChanged);
    connect(m_connection, &ConnectionController::requestFailed, this, [this](const RequestError &error) {
        statusBar()->showMessage(error.displayText(), MessageTimeoutMs);
    });
    connect(m_connection, &ConnectionController::settingsNotSaved, this, [this](const QString &fileName) {
        statusBar()->showMessage(tr("Could not save the connection settings to %1").arg(fileName), MessageTimeoutMs);
    });
    updateConnectionState();
}

QList<MainWindow::Area> MainWindow::areas()
{
    return {Area::Channels, Area::Models, Area::Users, Area::Usage, Area::Tasks, Area::Statistics, Area::Gallery};
}

QString MainWindow::areaTitle(Area area)
{
    switch (area) {
    case Area::Channels:
        return tr("Channels");
    case Area::Models:
        return tr("Models");
    case Area::Users:
        return tr("Users");
    case Area::Usage:
        return tr("Usage");
    case Area::Tasks:
        return tr("Tasks");
    case Area::Statistics:
        return tr("Statistics");
    case Area::Gallery:
        return tr("Gallery");
    }
    return {};
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *reload = view->addAction(tr("&Reload"), this, &MainWindow::reloadCurrentPage);
    reload->setShortcut(QKeySequence::Refresh);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Gateway Console"), this, &MainWindow::showAbout);
}

void MainWindow::addPage(Area area, ConsolePage *page)
{
    m_pages.insert(area, page);
    m_stack->addWidget(page);
    QListWidgetItem *item = m_navigation->item(int(areas().indexOf(area)));
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(QString());
    if (m_navigation->currentRow() < 0)
        showArea(area);
}

void MainWindow::showArea(Area area)
{
    if (m_pages.contains(area))
        m_navigation->setCurrentRow(int(areas().indexOf(area)));
}

MainWindow::Area MainWindow::currentArea() const
{
    const QListWidgetItem *item = m_navigation->currentItem();
    return item ? Area(item->data(Qt::UserRole).toInt()) : Area::Channels;
}

void MainWindow::onNavigationChanged(int row)
{
    if (row < 0 || row >= areas().size())
        return;
    ConsolePage *page = m_pages.value(areas().at(row));
    if (!page)
        return;
    m_stack->setCurrentWidget(page);
    if (m_stale.remove(page))
        page->reload();
}

void MainWindow::onEndpointChanged()
{
    // Only the page in view loads now; the others load when first shown, so
    // that connecting does not fire one request per area.
    for (ConsolePage *page : std::as_const(m_pages)) {
        page->reset();
        m_stale.insert(page);
    }
    reloadCurrentPage();
}

void MainWindow::reloadCurrentPage()
{
    auto *page = qobject_cast<ConsolePage *>(m_stack->currentWidget());
    if (!page || m_connection->baseUrl().isEmpty())
        return;
    m_stale.remove(page);
    page->reload();
}

void MainWindow::updateConnectionState()
{
    m_connectionLabel->setText(m_connection->statusText());
    QPalette palette = m_connectionLabel->palette();
    const bool failed = m_connection->state() == ConnectionController::State::Failed
        || (m_connection->state() == ConnectionController::State::Disconnected && m_connection->lastError().isSet());
    palette.setColor(QPalette::WindowText, failed ? QColor(0xb0, 0x1e, 0x2d) : QApplication::palette().color(QPalette::WindowText));
    m_connectionLabel->setPalette(palette);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Gateway Console"),
                       tr("<h3>Gateway Console %1</h3>"
                          "<p>Operator console of the AI API gateway. It talks to gatewayd over the admin API.</p>")
                           .arg(gw::productVersion().toHtmlEscaped()));
}

} // namespace gw::console
