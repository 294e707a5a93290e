#pragma once

#include "consolepage.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace gw::console {

class ChannelsController;

// The Channels area: the channel table with a filter and Refresh. It shows
// what ChannelsController holds and forwards the operator's requests to it.
class ChannelsPage : public ConsolePage
{
    Q_OBJECT

public:
    explicit ChannelsPage(ChannelsController *controller, QWidget *parent = nullptr);

    void reload() override;
    void reset() override;

    QTableView *table() const { return m_table; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QLineEdit *filterEdit() const { return m_filter; }
    QPushButton *refreshButton() const { return m_refresh; }
    QLabel *messageLabel() const { return m_message; }
    QLabel *summaryLabel() const { return m_summary; }

private:
    void updateState();
    void updateSummary();

    ChannelsController *m_controller;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter;
    QPushButton *m_refresh;
    QLabel *m_message;
    QLabel *m_summary;
};

} // namespace gw::console
