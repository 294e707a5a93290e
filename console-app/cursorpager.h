#pragma once

#include "adminapi.h"
#include "requesterror.h"

#include <QJsonArray>
#include <QObject>
#include <QSet>

namespace gw::console {

// Reads a whole admin list ({"data": [...], "next_cursor": ...}) by following
// next_cursor until the daemon says there is no more. Every list page of the
// console (channels now; models, users, tasks later) loads through one of
// these, so paging rules live in one place.
class CursorPager : public QObject
{
    Q_OBJECT

public:
    // A runaway cursor must not keep the console busy forever.
    static constexpr int MaxPages = 1000;

    explicit CursorPager(AdminApi *api, QObject *parent = nullptr);

    // Starts over from the first page; an unfinished read is abandoned and
    // its late replies are ignored.
    void start(const QString &path);
    void cancel();
    bool isRunning() const { return m_running; }
    int pagesRead() const { return m_pagesRead; }

    // Appends the cursor to `path`, which may already carry a query.
    static QString pagePath(const QString &path, const QString &cursor);

Q_SIGNALS:
    void finished(const QJsonArray &items);
    void failed(const gw::console::RequestError &error);

private:
    void requestPage(const QString &cursor);
    void handlePage(quint64 generation, const AdminApi::Reply &reply);
    void fail(const RequestError &error);

    AdminApi *m_api;
    QString m_path;
    QJsonArray m_items;
    QSet<QString> m_seenCursors;
    quint64 m_generation = 0;
    int m_pagesRead = 0;
    bool m_running = false;
};

} // namespace gw::console
