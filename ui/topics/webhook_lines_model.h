// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "webhook_reading.h"

#include <QAbstractTableModel>
#include <QList>

namespace peakwatch::ui {

// An order webhook's lines as the detail pane shows them: product, variant, title, quantity and price.
class WebhookLinesModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Product, Variant, Title, Quantity, Price, ColumnCount };
    enum Role {
        QuantityRole = Qt::UserRole + 1, // the units as a number
    };

    explicit WebhookLinesModel(QObject *parent = nullptr);

    void setLines(const QList<WebhookOrderLine> &lines);
    const QList<WebhookOrderLine> &lines() const { return m_lines; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<WebhookOrderLine> m_lines;
};

} // namespace peakwatch::ui
