#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

namespace gw {

// Validation findings, each naming the field it is about ("routes[0].channel"),
// so that a caller can fix a body without guessing.
class FieldErrors
{
public:
    struct Entry
    {
        QString field;
        QString message;
    };

    void add(const QString &field, const QString &message);
    bool isEmpty() const { return m_entries.isEmpty(); }
    const QList<Entry> &entries() const { return m_entries; }

    // "field: message" for the first finding, with a count of the others.
    QString summary() const;
    // [{"field", "message"}, ...]
    QJsonArray toJson() const;

private:
    QList<Entry> m_entries;
};

} // namespace gw
