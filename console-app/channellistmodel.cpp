#include "channellistmodel.h"

#include <QBrush>
#include <QGuiApplication>
#include <QPalette>

namespace gw::console {

ChannelListModel::ChannelListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int ChannelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ChannelListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant ChannelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChannelRow &row = m_rows.at(index.row());
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case Qt::ToolTipRole:
        return toolTipData(row, column);
    case Qt::TextAlignmentRole:
        if (column == PriorityColumn || column == WeightColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        if (column == EnabledColumn || column == SecretColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignCenter));
        return {};
    case Qt::ForegroundRole:
        // A disabled channel takes no traffic; greying it out lets the
        // operator see the routing set at a glance.
        if (!row.enabled)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case IdRole:
        return row.id;
    case SortRole:
        return sortData(row, column);
    default:
        return {};
    }
}

QVariant ChannelListModel::displayData(const ChannelRow &row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.name;
    case ProviderColumn:
        return row.provider;
    case BaseUrlColumn:
        return row.baseUrl;
    case TypesColumn:
        return row.types.join(QStringLiteral(", "));
    case PriorityColumn:
        return row.priority;
    case WeightColumn:
        return row.weight;
    case EnabledColumn:
        return row.enabled ? tr("Yes") : tr("No");
    case SecretColumn:
        return row.secretSet ? tr("Set") : tr("Not set");
    default:
        return {};
    }
}

QVariant ChannelListModel::sortData(const ChannelRow &row, int column) const
{
    switch (column) {
    case PriorityColumn:
        return row.priority;
    case WeightColumn:
        return row.weight;
    case EnabledColumn:
        return int(row.enabled);
    case SecretColumn:
        return int(row.secretSet);
    default:
        return displayData(row, column).toString().toCaseFolded();
    }
}

QVariant ChannelListModel::toolTipData(const ChannelRow &row, int column) const
{
    switch (column) {
    case NameColumn:
        return tr("Channel id: %1").arg(row.id);
    // These two are often cut off in the column; the tooltip has them whole.
    case BaseUrlColumn:
    case TypesColumn:
        return displayData(row, column);
    case SecretColumn:
        return row.secretSet ? tr("An upstream secret is stored for this channel.")
                             : tr("No upstream secret is stored for this channel.");
    default:
        return {};
    }
}

QVariant ChannelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ProviderColumn:
        return tr("Provider");
    case BaseUrlColumn:
        return tr("Base URL");
    case TypesColumn:
        return tr("Types");
    case PriorityColumn:
        return tr("Priority");
    case WeightColumn:
        return tr("Weight");
    case EnabledColumn:
        return tr("Enabled");
    case SecretColumn:
        return tr("Secret");
    default:
        return {};
    }
}

QHash<int, QByteArray> ChannelListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, QByteArrayLiteral("channelId"));
    names.insert(SortRole, QByteArrayLiteral("sortValue"));
    return names;
}

void ChannelListModel::setRows(const QList<ChannelRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void ChannelListModel::clear()
{
    setRows({});
}

int ChannelListModel::rowOfId(const QString &id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return int(i);
    }
    return -1;
}

} // namespace gw::console
