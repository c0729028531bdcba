// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "webhook_lines_model.h"

#include "ui_format.h"

#include <QStringBuilder>

namespace peakwatch::ui {

WebhookLinesModel::WebhookLinesModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void WebhookLinesModel::setLines(const QList<WebhookOrderLine> &lines)
{
    beginResetModel();
    m_lines = lines;
    endResetModel();
}

int WebhookLinesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

int WebhookLinesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WebhookLinesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WebhookOrderLine &l = m_lines[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Product: return l.productId == 0 ? tr("custom item") : QString::number(l.productId);
        case Variant: return l.variantId == 0 ? QString() : QString::number(l.variantId);
        case Title: return l.variantTitle.isEmpty() ? l.title : l.title % QStringLiteral(" – ") % l.variantTitle;
        case Quantity: return count(l.quantity);
        case Price: return l.price;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == Product && l.productId == 0)
            return tr("No product in the catalogue: the engine counts it toward the shop's demand only");
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Quantity || index.column() == Price)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        break;
    case QuantityRole: return l.quantity;
    }
    return {};
}

QVariant WebhookLinesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Product: return tr("Product");
    case Variant: return tr("Variant");
    case Title: return tr("Title");
    case Quantity: return tr("Quantity");
    case Price: return tr("Price");
    }
    return {};
}

} // namespace peakwatch::ui
