// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "live_batch.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace peakwatch::ui {

// Every product of the live analysis, one row each, in the order first seen. A batch updates the rows it
// names with dataChanged over contiguous ranges (one signal for all when most rows changed) and appends
// new products at the end, so views keep their selection and scroll position.
class ProductTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Title,
        Shop,
        ProductId,
        Handle,
        Stock,
        ChangePerHour,
        SelloutIn,
        SelloutAt,
        Price,
        Status,
        ColumnCount
    };
    enum Role {
        StatusRole = Qt::UserRole + 1, // int(ProductStatus); ProductFilterModel sorts by the figures themselves
        ShopRole,                      // QByteArray
        ProductIdRole,                 // qint64
    };

    explicit ProductTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void applyBatch(const LiveBatch &batch);
    void clear();

    const ProductSnapshot &snapshot(int row) const { return m_rows[size_t(row)]; }
    int rowOf(const ProductRef &product) const; // -1 when unknown
    qint64 nowMs() const { return m_nowMs; }    // event time of the latest batch

private:
    using Key = QPair<QByteArray, qint64>;
    void announceChanged(std::vector<int> &rows); // whole rows

    std::vector<ProductSnapshot> m_rows;
    QHash<Key, int> m_rowOf;
    qint64 m_nowMs = 0;
};

} // namespace peakwatch::ui
