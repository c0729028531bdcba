// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include <QAbstractProxyModel>

#include <bitset>
#include <optional>
#include <vector>

namespace peakwatch::ui {

class ProductTableModel;

// Filters the product table by text (title, shop or handle, any case, or the exact product id) and by status, and sorts
// by the column's figure. At Black Friday rates nearly every row changes ten times a second, so rows are not re-sorted
// on each change (they would jump about unreadably): refresh() sorts and filters again, and the dashboard calls it once
// a second. Changing the text, the statuses or the sort column applies at once.
//
// Not a QSortFilterProxyModel: that one compares through model indexes, and re-sorting 20,000 rows took
// the UI thread 10 to 25 ms. Here a sort reads each row's figure once into a key and sorts the keys, and
// rows that change between refreshes only repaint.
class ProductFilterModel final : public QAbstractProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProductFilterModel)
public:
    explicit ProductFilterModel(QObject *parent = nullptr);

    // Must be a ProductTableModel.
    void setSourceModel(QAbstractItemModel *source) override;

    void setText(const QString &text);
    // Which statuses are shown; all by default.
    void setStatuses(std::bitset<5> shown);
    std::bitset<5> statuses() const { return m_statuses; }
    // Sorts and filters again with the rows' current figures.
    void refresh();

    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;

private:
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void rebuild(); // filters and sorts into m_sourceRows and m_proxyRows
    void relayout(QAbstractItemModel::LayoutChangeHint hint);
    bool accepts(int sourceRow) const;
    void sortRows(std::vector<int> &rows);

    const ProductTableModel *m_products = nullptr;
    std::vector<int> m_sourceRows; // proxy row -> source row
    std::vector<int> m_proxyRows;  // source row -> proxy row, or -1 when filtered out
    QString m_text;
    std::optional<qint64> m_idText; // the text as a product id, when it is a number
    std::bitset<5> m_statuses;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    // By source row: the title and its case-folded form, for sorting by title without folding each time.
    std::vector<std::pair<QByteArray, QString>> m_foldedTitles;
};

} // namespace peakwatch::ui
