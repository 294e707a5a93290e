#include "channelscontroller.h"

#include "channellistmodel.h"
#include "channelrow.h"
#include "cursorpager.h"

#include <QSet>

namespace gw::console {

ChannelsController::ChannelsController(AdminApi *api, QObject *parent)
    : QObject(parent)
    , m_model(new ChannelListModel(this))
    , m_pager(new CursorPager(api, this))
{
    connect(m_pager, &CursorPager::finished, this, &ChannelsController::onFinished);
    connect(m_pager, &CursorPager::failed, this, &ChannelsController::onFailed);
}

bool ChannelsController::isLoading() const
{
    return m_pager->isRunning();
}

void ChannelsController::refresh()
{
    const bool wasLoading = isLoading();
    m_pager->start(QStringLiteral("/channels"));
    if (!wasLoading)
        Q_EMIT loadingChanged(true);
}

void ChannelsController::clear()
{
    const bool wasLoading = isLoading();
    m_pager->cancel();
    m_model->clear();
    m_warning.clear();
    m_lastLoaded = QDateTime();
    setError({});
    if (wasLoading)
        Q_EMIT loadingChanged(false);
}

void ChannelsController::onFinished(const QJsonArray &items)
{
    gw::FieldErrors errors;
    const QList<ChannelRow> parsed = ChannelRow::listFromJson(items, errors);

    // A channel created while the pages were read can move the cursor's
    // window so that one entry shows up on two pages; list it once.
    QList<ChannelRow> rows;
    rows.reserve(parsed.size());
    QSet<QString> seen;
    for (const ChannelRow &row : parsed) {
        if (!seen.contains(row.id)) {
            seen.insert(row.id);
            rows.append(row);
        }
    }

    m_model->setRows(rows);
    m_warning = errors.isEmpty()
        ? QString()
        : tr("Unreadable channel entries skipped: %1 — %2")
              .arg(QString::number(items.size() - parsed.size()), errors.summary());
    m_lastLoaded = QDateTime::currentDateTimeUtc();
    setError({});
    Q_EMIT loadingChanged(false);
    Q_EMIT loaded(int(rows.size()));
}

void ChannelsController::onFailed(const RequestError &error)
{
    setError(error);
    Q_EMIT loadingChanged(false);
}

void ChannelsController::setError(const RequestError &error)
{
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged(m_error);
}

} // namespace gw::console
