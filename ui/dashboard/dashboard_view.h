// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "live_batch.h"

#include <QWidget>

#include <array>

class QLabel;
class QMenu;
class QLineEdit;
class QSplitter;
class QTableView;
class QTimer;
class QToolButton;

namespace peakwatch::ui {

class ProductFilterModel;
class ProductTableModel;
class StockChart;

// Every product, live: a sortable, filterable table above a chart of the selected products' stock.
class DashboardView final : public QWidget {
    Q_OBJECT
public:
    explicit DashboardView(QWidget *parent = nullptr);

    void applyBatch(const LiveBatch &batch);
    void clear();
    // Selects the product (clearing the filters if they hide it) and scrolls to it.
    void showProduct(const ProductRef &product);
    std::vector<ProductRef> selectedProducts() const;

    // The rules' sell-out horizon, named in the summary line ("within 3 h").
    void setAlertHorizon(qint64 horizonMs);
    // Shows only the products of these statuses (none: all), as the status chips do.
    void showOnlyStatuses(const std::vector<ProductStatus> &statuses);
    // True while the rows keep their order: the pointer is over the table or a selection is being made.
    bool orderHeld() const;
    QString summaryText() const;
    QToolButton &statusChip(ProductStatus status);
    // The row's menu: open the product in the Shopify admin, copy its id or handle. The caller owns it.
    QMenu *productMenu(const QModelIndex &index);

    ProductTableModel &model() { return *m_model; }
    ProductFilterModel &filter() { return *m_filter; }
    QTableView &table() { return *m_table; }
    StockChart &chart() { return *m_chart; }
    QSplitter &splitter() { return *m_splitter; }

    Status exportTable(const QString &path) const;
    Status exportChart(const QString &path);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // The products whose history the chart needs (LiveAnalysis::setWatched).
    void selectionChanged(const std::vector<peakwatch::ProductRef> &products);

private:
    void onSelectionChanged();
    void updateStatusFilter();
    void updateCounts();
    void updateSummary();
    void onChipClicked(size_t chip);
    void showTableMenu(const QPoint &at);
    void redrawChart();
    void updateLocations();
    void chooseExportTable();
    void chooseExportChart();

    ProductTableModel *m_model;
    ProductFilterModel *m_filter;
    QLineEdit *m_search;
    std::array<QToolButton *, 5> m_statusButtons{};
    QLabel *m_shown;
    QLabel *m_summary;
    QLabel *m_locations; // under the chart: where the selected product's units are
    qint64 m_horizonMs = 2 * 3600 * 1000;
    bool m_pointerOverTable = false;
    QTableView *m_table;
    StockChart *m_chart;
    QSplitter *m_splitter;
    QTimer *m_resort;
    QTimer *m_chartTimer;
    bool m_changedSinceSort = false;
    qint64 m_chartDrawnAtMs = 0;
    bool m_chartStale = false;
    std::vector<ProductHistory> m_histories; // of the selected products, as last received
    std::vector<ProductRef> m_selected;
};

} // namespace peakwatch::ui
