// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The Peakwatch authors
#include "product_table_model.h"

#include "ui_format.h"

#include <QApplication>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <QStringBuilder>

#include <algorithm>

namespace peakwatch::ui {
namespace {

constexpr size_t kMaxChangedRanges = 16;

} // namespace

ProductTableModel::ProductTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ProductTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProductTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProductTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProductSnapshot &s = m_rows[size_t(index.row())];
    const bool sellsOut = s.selloutAtMs.has_value() && s.status != ProductStatus::SoldOut;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Title: return QString::fromUtf8(s.title);
        case Shop: return QString::fromUtf8(s.shop);
        case ProductId: return QString::number(s.productId); // exact, no grouping: it is pasted into searches
        case Handle: return QString::fromUtf8(s.handle);
        case Stock: return s.status == ProductStatus::Untracked ? QString() : count(s.quantity);
        case ChangePerHour: return changePerHour(s.ratePerHour);
        case SelloutIn:
            if (s.status == ProductStatus::SoldOut)
                return QStringLiteral("sold out");
            return sellsOut ? durationUntil(*s.selloutAtMs, m_nowMs) : QString();
        case SelloutAt: return s.selloutAtMs ? clockTime(*s.selloutAtMs, m_nowMs) : QString();
        case Price: return priceRange(s);
        case Status: return statusLabel(s);
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == Status || (index.column() == SelloutIn && s.status >= ProductStatus::SellingOut))
            return statusColor(s.status, QApplication::palette());
        break;
    case Qt::FontRole:
        if (index.column() == Status && (s.status == ProductStatus::SellingOut || s.status == ProductStatus::SoldOut)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case ProductId:
        case Stock:
        case ChangePerHour:
        case Price: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default: return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Stock: return QStringLiteral("Units in stock over the tracked variants, as of the latest update");
        case ChangePerHour:
            return s.ratePerHour ? QStringLiteral("Sales rate from the last %1 sales (confidence %2 %)")
                                       .arg(s.observations)
                                       .arg(qRound(s.confidence * 100))
                                 : QStringLiteral("Not enough sales yet to estimate a rate");
        case SelloutIn:
        case SelloutAt:
            if (s.status == ProductStatus::SoldOut) {
                const QString at =
                    s.selloutAtMs ? clockTime(*s.selloutAtMs, m_nowMs) : QStringLiteral("an unknown time");
                if (s.quantity < 0)
                    return QStringLiteral("Sold out at %1, then sold %2 more on backorder").arg(at, count(-s.quantity));
                return QStringLiteral("Sold out at %1").arg(at);
            }
            if (!sellsOut)
                return QStringLiteral("No sell-out predicted: no recent sales");
            if (!s.selloutEarliestMs)
                return QStringLiteral("Predicted sell-out: stock ÷ sales rate, at the current pace");
            return QStringLiteral("Predicted sell-out: stock ÷ sales rate, at the current pace.\n"
                                  "80 % likely between %1 and %2")
                .arg(clockTime(*s.selloutEarliestMs, m_nowMs),
                     s.selloutLatestMs ? clockTime(*s.selloutLatestMs, m_nowMs) : QStringLiteral("much later"));
        case Price: return QStringLiteral("Lowest and highest variant price");
        case ProductId: return QStringLiteral("Shopify's product id");
        case Handle:
            return s.handle.isEmpty() ? QStringLiteral("The payload named no handle")
                                      : QStringLiteral("The product's handle: its address in the shop, /products/%1")
                                            .arg(QString::fromUtf8(s.handle));
        case Status:
            if (s.status == ProductStatus::Untracked)
                return QStringLiteral("Shopify does not track this product's stock");
            if (s.status == ProductStatus::SoldOut && s.quantity < 0)
                return QStringLiteral("Backordered: %1 units sold beyond the stock (its variants allow overselling), "
                                      "to be filled by a restock. Sold out for the alert rules.")
                    .arg(count(-s.quantity));
            return QStringLiteral("Judged by the alert rules' thresholds");
        default:
            return QString(QString::fromUtf8(s.title) % QStringLiteral("\n") % QString::fromUtf8(s.shop) %
                           QStringLiteral(" · product ") % QString::number(s.productId) %
                           (s.handle.isEmpty() ? QString() : QStringLiteral(" · ") % QString::fromUtf8(s.handle)));
        }
    case StatusRole: return int(s.status);
    case ShopRole: return s.shop;
    case ProductIdRole: return s.productId;
    default: break;
    }
    return {};
}

QVariant ProductTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        static const char *const names[] = {"Product",  "Shop",      "ID",          "Handle", "Stock",
                                            "Change/h", "Sells out", "Sell-out at", "Price",  "Status"};
        return QString::fromLatin1(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        static const char *const tips[] = {
            "The product's title",
            "The shop's myshopify.com domain",
            "Shopify's product id; right-click to open the product in the Shopify admin",
            "The product's handle (its URL name in the shop), where the payload has one: it tells apart products of "
            "one "
            "title",
            "Units in stock, summed over the tracked variants",
            "Change of stock an hour at the current sales rate (negative: selling)",
            "Predicted time until the stock reaches zero at the current sales rate",
            "Predicted clock time of the sell-out (the stream's event time)",
            "Lowest and highest variant price",
            "Sold out (backordered when sold below zero), selling out within the alert horizon, low stock, "
            "or in stock",
        };
        return QString::fromLatin1(tips[section]);
    }
    return {};
}

int ProductTableModel::rowOf(const ProductRef &product) const
{
    return m_rowOf.value(Key(product.shop, product.productId), -1);
}

void ProductTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_nowMs = 0;
    endResetModel();
}

void ProductTableModel::applyBatch(const LiveBatch &batch)
{
    const bool timeMoved = batch.stats.watermarkMs != m_nowMs;
    m_nowMs = batch.stats.watermarkMs;
    std::vector<int> changed;
    changed.reserve(batch.changed.size());
    std::vector<const ProductSnapshot *> added;
    for (const ProductSnapshot &s : batch.changed) {
        const auto it = m_rowOf.constFind(Key(s.shop, s.productId));
        if (it == m_rowOf.cend()) {
            added.push_back(&s);
            continue;
        }
        m_rows[size_t(*it)] = s;
        changed.push_back(*it);
    }
    announceChanged(changed);
    if (timeMoved && !m_rows.empty()) // "in 23 min" moves with the stream's time
        // Only the words move: the sort values (times) stay, so a sorting proxy need not sort again.
        Q_EMIT dataChanged(index(0, SelloutIn), index(rowCount() - 1, SelloutAt), {Qt::DisplayRole, Qt::ToolTipRole});

    if (added.empty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const ProductSnapshot *s : added) {
        m_rowOf.insert(Key(s->shop, s->productId), int(m_rows.size()));
        m_rows.push_back(*s);
    }
    endInsertRows();
}

void ProductTableModel::announceChanged(std::vector<int> &rows)
{
    if (rows.empty())
        return;
    // Most rows changed: one signal for all, as a range signal per row would cost more than it saves.
    if (rows.size() * 2 > m_rows.size()) {
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    std::sort(rows.begin(), rows.end());
    std::vector<std::pair<int, int>> ranges;
    for (const int row : rows) {
        if (!ranges.empty() && row <= ranges.back().second + 1)
            ranges.back().second = row;
        else
            ranges.emplace_back(row, row);
    }
    // A sorting proxy handles each signal on its own: many scattered ranges cost more as separate
    // signals than as one over the rows that span them.
    if (ranges.size() > kMaxChangedRanges) {
        Q_EMIT dataChanged(index(ranges.front().first, 0), index(ranges.back().second, ColumnCount - 1));
        return;
    }
    for (const auto &[first, last] : ranges)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

} // namespace peakwatch::ui
