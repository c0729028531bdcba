#pragma once

#include "alert_outbox.h"
#include "alert_rules.h"
#include "live_batch.h"

#include <QAbstractTableModel>

#include <deque>
#include <vector>

namespace peakwatch::ui {

// The alerts fired, newest first, capped at `capacity` (the oldest go first), with whether each was
// acknowledged and where it was delivered (from the alert outbox).
class AlertsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Rule, Product, Shop, Stock, State, Delivery, Message, ColumnCount };
    enum Role { ShopRole = Qt::UserRole + 1, ProductIdRole, RuleRole };

    explicit AlertsModel(int capacity = 10000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Alerts in the order they fired (oldest first), as a batch carries them.
    void addAlerts(const std::vector<Alert> &alerts);
    // The history as the outbox keeps it, newest first (replaces what is shown).
    void setHistory(const std::vector<AlertOutbox::Entry> &entries);
    // Acknowledgements and deliveries of the alerts shown, from the outbox's newest entries.
    void updateStates(const std::vector<AlertOutbox::Entry> &entries);
    void clear();
    const Alert &alert(int row) const { return m_rows[size_t(row)].alert; }
    bool acknowledged(int row) const { return m_rows[size_t(row)].acknowledgedAtMs.has_value(); }
    ProductRef productAt(int row) const;

private:
    struct Row {
        Alert alert;
        std::optional<qint64> acknowledgedAtMs;
        std::vector<AlertOutbox::Delivery> deliveries;
    };
    void trimTo(int rows);

    int m_capacity;
    std::deque<Row> m_rows; // newest first
};

} // namespace peakwatch::ui
