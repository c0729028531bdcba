#pragma once

#include "live_batch.h"

#include <QWidget>

#include <array>

class QLabel;
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

    ProductTableModel &model() { return *m_model; }
    ProductFilterModel &filter() { return *m_filter; }
    QTableView &table() { return *m_table; }
    StockChart &chart() { return *m_chart; }
    QSplitter &splitter() { return *m_splitter; }

    Status exportTable(const QString &path) const;
    Status exportChart(const QString &path);

Q_SIGNALS:
    // The products whose history the chart needs (LiveAnalysis::setWatched).
    void selectionChanged(const std::vector<peakwatch::ProductRef> &products);

private:
    void onSelectionChanged();
    void updateStatusFilter();
    void updateCounts();
    void redrawChart();
    void chooseExportTable();
    void chooseExportChart();

    ProductTableModel *m_model;
    ProductFilterModel *m_filter;
    QLineEdit *m_search;
    std::array<QToolButton *, 5> m_statusButtons{};
    QLabel *m_shown;
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
