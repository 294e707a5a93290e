#pragma once

#include <QList>
#include <QString>

namespace gw {

// One page of a list and the cursor of the next ("" when this is the last).
template <typename T>
struct Page
{
    QList<T> items;
    QString nextCursor;
};

// Keyset paging: fetch `limit + 1` rows after the cursor; the extra row only
// tells whether another page exists.
template <typename T, typename KeyOf>
Page<T> makePage(QList<T> rows, int limit, KeyOf keyOf)
{
    Page<T> page;
    if (rows.size() > limit) {
        rows.resize(limit);
        page.nextCursor = keyOf(rows.last());
    }
    page.items = std::move(rows);
    return page;
}

} // namespace gw
