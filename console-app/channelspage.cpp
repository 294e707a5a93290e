#include "channelspage.h"

#include "channellistmodel.h"
#include "channelscontroller.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace gw::console {

ChannelsPage::ChannelsPage(ChannelsController *controller, QWidget *parent)
    : ConsolePage(parent)
    , m_controller(controller)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_refresh(new QPushButton(tr("&Refresh"), this))
    , m_message(new QLabel(this))
    , m_summary(new QLabel(this))
{
    m_proxy->setSourceModel(controller->model());
    m_proxy->setSortRole(ChannelListModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto *title = new QLabel(tr("Channels"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);

    m_filter->setPlaceholderText(tr("Filter by name, provider, URL or type"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(280);
    m_refresh->setToolTip(tr("Load the channel list from the daemon again (F5)"));

    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setContentsMargins(8, 6, 8, 6);
    m_message->setAutoFillBackground(true);
    m_message->hide();

    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ChannelListModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(ChannelListModel::BaseUrlColumn, QHeaderView::Stretch);
    header->resizeSection(ChannelListModel::NameColumn, 180);
    header->resizeSection(ChannelListModel::ProviderColumn, 110);
    header->resizeSection(ChannelListModel::TypesColumn, 170);
    // The short columns follow their content, so that longer words in a
    // translation ("Nicht gesetzt") are not cut off.
    for (const int column : {ChannelListModel::PriorityColumn, ChannelListModel::WeightColumn,
                             ChannelListModel::EnabledColumn, ChannelListModel::SecretColumn})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);

    auto *top = new QHBoxLayout;
    top->addWidget(title);
    top->addStretch(1);
    top->addWidget(m_filter);
    top->addWidget(m_refresh);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filter, &QLineEdit::textChanged, this, &ChannelsPage::updateSummary);
    connect(m_refresh, &QPushButton::clicked, controller, &ChannelsController::refresh);
    connect(controller, &ChannelsController::loadingChanged, this, &ChannelsPage::updateState);
    connect(controller, &ChannelsController::errorChanged, this, &ChannelsPage::updateState);
    connect(controller, &ChannelsController::loaded, this, &ChannelsPage::updateState);
    connect(controller->model(), &QAbstractItemModel::modelReset, this, &ChannelsPage::updateSummary);

    updateState();
}

void ChannelsPage::reload()
{
    m_controller->refresh();
}

void ChannelsPage::reset()
{
    m_controller->clear();
}

void ChannelsPage::updateState()
{
    m_refresh->setEnabled(!m_controller->isLoading());

    const RequestError error = m_controller->error();
    QString text;
    if (error.isSet()) {
        text = tr("Could not load the channels. %1").arg(error.displayText());
    } else if (!m_controller->warning().isEmpty()) {
        text = m_controller->warning();
    }
    // Errors get a fixed pale red with dark text, which stays readable in
    // light and dark themes alike; warnings use the tooltip colours.
    QPalette palette = m_message->palette();
    if (error.isSet()) {
        palette.setColor(QPalette::Window, QColor(0xf8, 0xd7, 0xda));
        palette.setColor(QPalette::WindowText, QColor(0x72, 0x1c, 0x24));
    } else {
        palette.setColor(QPalette::Window, palette.color(QPalette::ToolTipBase));
        palette.setColor(QPalette::WindowText, palette.color(QPalette::ToolTipText));
    }
    m_message->setPalette(palette);
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    updateSummary();
}

void ChannelsPage::updateSummary()
{
    const int total = m_controller->model()->rowCount();
    const int shown = m_proxy->rowCount();
    QString text;
    if (m_controller->isLoading())
        text = tr("Loading channels…");
    else if (!m_controller->lastLoaded().isValid())
        text = tr("Not loaded yet");
    else if (shown == total)
        text = tr("Channels: %1").arg(total);
    else
        text = tr("Showing %1 of %2 channels").arg(shown).arg(total);
    if (m_controller->lastLoaded().isValid() && !m_controller->isLoading()) {
        const QString when = QLocale().toString(m_controller->lastLoaded().toLocalTime().time(), QLocale::ShortFormat);
        text = tr("%1 · updated %2").arg(text, when);
    }
    m_summary->setText(text);
}

} // namespace gw::console
