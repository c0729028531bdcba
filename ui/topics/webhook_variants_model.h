// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#pragma once

#include "webhook_reading.h"

#include <QAbstractTableModel>
#include <QList>

namespace peakwatch::ui {

// A product webhook's variants as the detail pane shows them: title, SKU, price and stock, an out-of-stock variant
// marked, an untracked one said to be so.
class WebhookVariantsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Title, Sku, Price, Stock, ColumnCount };
    enum Role {
        QuantityRole = Qt::UserRole + 1, // the stock as a number (inventory_quantity), for sorting and tests
        TrackedRole,                     // false where the variant's stock is not tracked
        OutOfStockRole,                  // tracked, and none left
    };

    explicit WebhookVariantsModel(QObject *parent = nullptr);

    void setVariants(const QList<WebhookVariant> &variants);
    const QList<WebhookVariant> &variants() const { return m_variants; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<WebhookVariant> m_variants;
};

} // namespace peakwatch::ui
