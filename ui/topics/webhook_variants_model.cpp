// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "webhook_variants_model.h"

#include "ui_format.h"

#include <QApplication>
#include <QFont>
#include <QPalette>

namespace peakwatch::ui {

WebhookVariantsModel::WebhookVariantsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void WebhookVariantsModel::setVariants(const QList<WebhookVariant> &variants)
{
    beginResetModel();
    m_variants = variants;
    endResetModel();
}

int WebhookVariantsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_variants.size());
}

int WebhookVariantsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WebhookVariantsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WebhookVariant &v = m_variants[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Title: return v.title;
        case Sku: return v.sku;
        case Price: return v.price;
        case Stock:
            if (!v.tracked)
                return tr("not tracked");
            if (v.quantity < 0)
                return tr("%1 (oversold)").arg(count(v.quantity));
            if (v.quantity == 0)
                return tr("0 (out of stock)");
            return count(v.quantity);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == Stock && !v.tracked)
            return tr("inventory_management is null: Shopify does not track this variant's stock, and Peakwatch "
                      "leaves it out of the product's total");
        if (index.column() == Title && v.variantId != 0)
            return tr("Variant %1").arg(v.variantId);
        break;
    case Qt::ForegroundRole:
        if (index.column() == Stock) {
            if (!v.tracked)
                return statusColor(ProductStatus::Untracked, QApplication::palette());
            if (v.outOfStock())
                return statusColor(ProductStatus::SoldOut, QApplication::palette());
        }
        break;
    case Qt::FontRole:
        if (v.outOfStock()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Price || index.column() == Stock)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        break;
    case QuantityRole: return v.quantity;
    case TrackedRole: return v.tracked;
    case OutOfStockRole: return v.outOfStock();
    }
    return {};
}

QVariant WebhookVariantsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Title: return tr("Variant");
    case Sku: return tr("SKU");
    case Price: return tr("Price");
    case Stock: return tr("Stock");
    }
    return {};
}

} // namespace peakwatch::ui
