#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QPair>
#include <QString>

#include <initializer_list>

namespace gw::test {

// A JSON object written inline, in source order: obj({{"id", "m"}, {"n", 2}}).
inline QJsonObject obj(std::initializer_list<QPair<QString, QJsonValue>> fields)
{
    QJsonObject o;
    for (const auto &f : fields)
        o.insert(f.first, f.second);
    return o;
}

} // namespace gw::test
