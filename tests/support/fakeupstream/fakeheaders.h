#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace gw::test {

// Ordered name/value pairs rather than a map: HTTP allows a name twice and
// tests want to see headers exactly as they travelled.
using FakeHeaders = QList<std::pair<QByteArray, QByteArray>>;

inline QByteArray fakeHeaderValue(const FakeHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// Replaces every header of that name so that a behaviour's headers override
// what a handler set instead of doubling it.
inline void setFakeHeader(FakeHeaders &headers, const QByteArray &name, const QByteArray &value)
{
    headers.removeIf([&name](const auto &header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
    headers.append({name, value});
}

} // namespace gw::test
