#pragma once

#include "live_batch.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace peakwatch::ui {

class AlertsModel;

// The alerts fired, newest first, with rule, product and time; activating one (double-click or Enter)
// opens its product in the dashboard.
class AlertsView final : public QWidget {
    Q_OBJECT
public:
    explicit AlertsView(QWidget *parent = nullptr);
    void addAlerts(const std::vector<Alert> &alerts);
    void clear();
    AlertsModel &model() { return *m_model; }
    QTableView &table() { return *m_table; }

Q_SIGNALS:
    void productActivated(const peakwatch::ProductRef &product);

private:
    void updateCount();

    AlertsModel *m_model;
    QSortFilterProxyModel *m_filter;
    QTableView *m_table;
    QLineEdit *m_search;
    QLabel *m_count;
};

} // namespace peakwatch::ui
