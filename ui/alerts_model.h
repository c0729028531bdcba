#pragma once

#include "alert_rules.h"
#include "live_batch.h"

#include <QAbstractTableModel>

#include <deque>
#include <vector>

namespace peakwatch::ui {

// The alerts fired, newest first, capped at `capacity` (the oldest go first).
class AlertsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Rule, Product, Shop, Stock, Message, ColumnCount };
    enum Role { ShopRole = Qt::UserRole + 1, ProductIdRole, RuleRole };

    explicit AlertsModel(int capacity = 10000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Alerts in the order they fired (oldest first), as a batch carries them.
    void addAlerts(const std::vector<Alert> &alerts);
    void clear();
    const Alert &alert(int row) const { return m_alerts[size_t(row)]; }
    ProductRef productAt(int row) const;

private:
    int m_capacity;
    std::deque<Alert> m_alerts; // newest first
};

} // namespace peakwatch::ui
