// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "live_batch.h"

#include <QWidget>

class QLabel;
class QMenu;
class QLineEdit;
class QToolButton;
class QSortFilterProxyModel;
class QTableView;

namespace peakwatch::ui {

class AlertsModel;

// The alert history, newest first, with rule, product, time, state and delivery; activating one
// (double-click or Enter) opens its product in the dashboard. Selected alerts can be acknowledged, and
// their products snoozed (no desktop or Slack alerts for them for a while).
class AlertsView final : public QWidget {
    Q_OBJECT
public:
    explicit AlertsView(QWidget *parent = nullptr);
    void addAlerts(const std::vector<Alert> &alerts);
    void clear();
    AlertsModel &model() { return *m_model; }
    QTableView &table() { return *m_table; }

    std::vector<QByteArray> selectedIds() const;
    // The stream's time (the simulated time in the demo), from which snoozes are measured; until a batch
    // has come, the clock's.
    void setStreamTime(qint64 nowMs) { m_streamNowMs = nowMs; }
    qint64 streamTime() const;
    // The alert's menu: open its product in the dashboard or in the Shopify admin. The caller owns it.
    QMenu *alertMenu(const QModelIndex &index);

Q_SIGNALS:
    void productActivated(const peakwatch::ProductRef &product);
    void acknowledgeRequested(const std::vector<QByteArray> &ids, qint64 atMs); // at the stream's time
    void snoozeRequested(const std::vector<peakwatch::ProductRef> &products, qint64 untilMs);

private:
    void updateCount();
    void updateButtons();
    void snoozeSelected(qint64 untilMs);

    AlertsModel *m_model;
    QSortFilterProxyModel *m_filter;
    QTableView *m_table;
    QLineEdit *m_search;
    QLabel *m_count;
    QToolButton *m_acknowledge;
    QToolButton *m_snooze;
    qint64 m_streamNowMs = 0;
};

} // namespace peakwatch::ui
