// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "alert_outbox.h"
#include "alert_rules.h"
#include "live_batch.h"

#include <QAbstractTableModel>
#include <QByteArray>

#include <deque>
#include <vector>

namespace peakwatch::ui {

// The alerts fired, as threads: the alerts of one product's episode (selling out, low stock, sold out, restocked)
// are kept together, the episode's first alert on top and its follow-ups under it in the order they fired, and
// the episode with the newest alert comes first. Capped at `capacity` (the threads that fired least recently go
// first). With whether each was acknowledged and where it was delivered (from the alert outbox). An alert without
// an episode (recorded before episodes were kept) is a thread of its own.
class AlertsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Rule, Product, Shop, Stock, State, Delivery, Message, ColumnCount };
    enum Role {
        ShopRole = Qt::UserRole + 1,
        ProductIdRole,
        RuleRole,
        EpisodeRole,        // the thread's key: the alert's episode, or its id when it has none
        ThreadPositionRole, // 1 for the thread's first alert, 2 for the next, …
        IdRole,
    };

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
    // Whether the row is the first of its thread as shown (a follow-up's first alert may be gone).
    bool startsThread(int row) const;
    bool acknowledged(int row) const { return m_rows[size_t(row)].acknowledgedAtMs.has_value(); }
    ProductRef productAt(int row) const;

private:
    struct Row {
        Alert alert;
        std::optional<qint64> acknowledgedAtMs;
        std::vector<AlertOutbox::Delivery> deliveries;
        quint64 sequence = 0;     // order of arrival: the higher, the newer
        bool statesKnown = false; // deliveries and acknowledgement read from the outbox
    };
    static QByteArray threadKey(const Alert &alert) { return alert.episode.isEmpty() ? alert.id : alert.episode; }
    int positionOf(int row) const;
    // Puts the rows in thread order, moving the persistent indexes (selection, current row) with them.
    void arrangeThreads(bool announce);
    void trimTo(int rows);

    int m_capacity;
    std::deque<Row> m_rows; // in thread order
    quint64 m_sequence = 0;
};

} // namespace peakwatch::ui
