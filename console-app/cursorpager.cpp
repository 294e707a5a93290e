#include "cursorpager.h"

#include <QJsonObject>
#include <QPointer>
#include <QUrl>

namespace gw::console {

CursorPager::CursorPager(AdminApi *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
}

QString CursorPager::pagePath(const QString &path, const QString &cursor)
{
    if (cursor.isEmpty())
        return path;
    // Cursors are opaque and may hold '+', '/' or '='; unescaped, a server
    // would read '+' as a space.
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(cursor));
    const QLatin1Char separator(path.contains(QLatin1Char('?')) ? '&' : '?');
    return path % separator % QStringLiteral("cursor=") % encoded;
}

void CursorPager::start(const QString &path)
{
    cancel();
    m_path = path;
    m_running = true;
    requestPage({});
}

void CursorPager::cancel()
{
    ++m_generation;
    m_running = false;
    m_items = QJsonArray();
    m_seenCursors.clear();
    m_pagesRead = 0;
}

void CursorPager::requestPage(const QString &cursor)
{
    const quint64 generation = m_generation;
    QPointer<CursorPager> self(this);
    m_api->get(pagePath(m_path, cursor), [self, generation](const AdminApi::Reply &reply) {
        if (self)
            self->handlePage(generation, reply);
    });
}

void CursorPager::handlePage(quint64 generation, const AdminApi::Reply &reply)
{
    if (generation != m_generation || !m_running)
        return;
    if (!reply.ok()) {
        fail(RequestError::fromReply(reply));
        return;
    }
    const QJsonObject body = reply.body.object();
    const QJsonValue data = body.value(QStringLiteral("data"));
    if (!reply.body.isObject() || !data.isArray()) {
        fail(RequestError(reply.status, tr("the daemon's answer is not a list")));
        return;
    }
    const QJsonArray page = data.toArray();
    for (const QJsonValue &item : page)
        m_items.append(item);
    ++m_pagesRead;

    const QJsonValue next = body.value(QStringLiteral("next_cursor"));
    const QString cursor = next.isString() ? next.toString() : QString();
    if (cursor.isEmpty()) {
        const QJsonArray items = m_items;
        m_running = false;
        m_items = QJsonArray();
        m_seenCursors.clear();
        Q_EMIT finished(items);
        return;
    }
    // A cursor seen before would make the read go round in circles.
    if (m_seenCursors.contains(cursor) || m_pagesRead >= MaxPages) {
        fail(RequestError(reply.status, tr("the daemon's list does not end (page %1)").arg(m_pagesRead)));
        return;
    }
    m_seenCursors.insert(cursor);
    requestPage(cursor);
}

void CursorPager::fail(const RequestError &error)
{
    cancel();
    Q_EMIT failed(error);
}

} // namespace gw::console
