#pragma once

#include "channelrow.h"

#include <QAbstractTableModel>
#include <QList>

namespace gw::console {

// The channels table: one row per ChannelRow, read-only for now. Editing
// (a later page) will go through the controller, not through setData().
class ChannelListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        ProviderColumn,
        BaseUrlColumn,
        TypesColumn,
        PriorityColumn,
        WeightColumn,
        EnabledColumn,
        SecretColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        // The channel's id, the key for follow-up calls such as PATCH /channels/{id}.
        IdRole = Qt::UserRole + 1,
        // Numbers and flags as numbers, so that a proxy sorts 10 after 9.
        SortRole,
    };

    explicit ChannelListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setRows(const QList<ChannelRow> &rows);
    void clear();
    const QList<ChannelRow> &rows() const { return m_rows; }
    const ChannelRow &rowAt(int row) const { return m_rows.at(row); }
    // -1 when no channel has that id.
    int rowOfId(const QString &id) const;

private:
    QVariant displayData(const ChannelRow &row, int column) const;
    QVariant sortData(const ChannelRow &row, int column) const;
    QVariant toolTipData(const ChannelRow &row, int column) const;

    QList<ChannelRow> m_rows;
};

} // namespace gw::console
