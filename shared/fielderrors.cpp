#include "fielderrors.h"

#include <QJsonObject>

namespace gw {

void FieldErrors::add(const QString &field, const QString &message)
{
    m_entries.append({field, message});
}

QString FieldErrors::summary() const
{
    if (m_entries.isEmpty())
        return {};
    const Entry &first = m_entries.first();
    QString text = first.field.isEmpty() ? first.message : first.field + QStringLiteral(": ") + first.message;
    if (m_entries.size() > 1)
        text += QStringLiteral(" (and %1 more)").arg(m_entries.size() - 1);
    return text;
}

QJsonArray FieldErrors::toJson() const
{
    QJsonArray out;
    for (const Entry &e : m_entries)
        out.append(QJsonObject{{QStringLiteral("field"), e.field}, {QStringLiteral("message"), e.message}});
    return out;
}

} // namespace gw
