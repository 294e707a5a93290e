#pragma once

#include "requesterror.h"

#include <QDateTime>
#include <QObject>

namespace gw::console {

class AdminApi;
class ChannelListModel;
class CursorPager;

// Loads GET /admin/v1/channels into a ChannelListModel and keeps the state a
// page shows around it: loading, the last error, entries that could not be
// read. Widgets only call refresh() and read this state.
class ChannelsController : public QObject
{
    Q_OBJECT

public:
    explicit ChannelsController(AdminApi *api, QObject *parent = nullptr);

    ChannelListModel *model() const { return m_model; }

    bool isLoading() const;
    // The failure of the last refresh; not set after a successful one.
    RequestError error() const { return m_error; }
    // Set when the last refresh succeeded but some entries were unreadable.
    QString warning() const { return m_warning; }
    QDateTime lastLoaded() const { return m_lastLoaded; }

public Q_SLOTS:
    // Reads every page again. The table keeps its rows until the whole list
    // is in, so a failed refresh leaves the last good list in place.
    void refresh();
    // Forgets everything, e.g. when the console switches to another daemon.
    void clear();

Q_SIGNALS:
    void loadingChanged(bool loading);
    void errorChanged(const gw::console::RequestError &error);
    void loaded(int count);

private:
    void onFinished(const QJsonArray &items);
    void onFailed(const RequestError &error);
    void setError(const RequestError &error);

    ChannelListModel *m_model;
    CursorPager *m_pager;
    RequestError m_error;
    QString m_warning;
    QDateTime m_lastLoaded;
};

} // namespace gw::console
