#include "product_filter_model.h"

#include "product_table_model.h"

#include <limits>

namespace peakwatch::ui {

ProductFilterModel::ProductFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    m_statuses.set();
    setDynamicSortFilter(false); // see refresh()
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ProductFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

void ProductFilterModel::setStatuses(std::bitset<5> shown)
{
    if (shown == m_statuses)
        return;
    m_statuses = shown;
    invalidateFilter();
}

void ProductFilterModel::refresh()
{
    // Sorting the rows it has is cheaper than rebuilding the mapping, which a filter must do.
    if (m_text.isEmpty() && m_statuses.all()) {
        if (sortColumn() >= 0)
            sort(sortColumn(), sortOrder());
        return;
    }
    invalidate();
}

bool ProductFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Straight from the snapshots: no QVariant per comparison (a sort makes hundreds of thousands).
    const auto *products = static_cast<const ProductTableModel *>(sourceModel());
    const ProductSnapshot &a = products->snapshot(left.row());
    const ProductSnapshot &b = products->snapshot(right.row());
    constexpr qint64 kNever = std::numeric_limits<qint64>::max();
    auto severity = [](const ProductSnapshot &s) { return s.status == ProductStatus::Untracked ? -1 : int(s.status); };
    switch (left.column()) {
    case ProductTableModel::Title:
        return QString::fromUtf8(a.title).compare(QString::fromUtf8(b.title), Qt::CaseInsensitive) < 0;
    case ProductTableModel::Shop: return a.shop < b.shop;
    case ProductTableModel::Stock:
        return (a.status == ProductStatus::Untracked ? kNever : a.quantity) <
               (b.status == ProductStatus::Untracked ? kNever : b.quantity);
    case ProductTableModel::ChangePerHour: return -a.ratePerHour.value_or(0) < -b.ratePerHour.value_or(0);
    case ProductTableModel::SelloutIn:
    case ProductTableModel::SelloutAt: return a.selloutAtMs.value_or(kNever) < b.selloutAtMs.value_or(kNever);
    case ProductTableModel::Price: return (a.hasPrice ? a.minPrice : kNever) < (b.hasPrice ? b.minPrice : kNever);
    case ProductTableModel::Status: return severity(a) < severity(b);
    }
    return false;
}

bool ProductFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *products = static_cast<const ProductTableModel *>(sourceModel());
    if (sourceParent.isValid() || !products)
        return false;
    const ProductSnapshot &s = products->snapshot(sourceRow);
    if (!m_statuses.test(size_t(s.status)))
        return false;
    if (m_text.isEmpty())
        return true;
    return QString::fromUtf8(s.title).contains(m_text, Qt::CaseInsensitive) ||
           QString::fromUtf8(s.shop).contains(m_text, Qt::CaseInsensitive);
}

} // namespace peakwatch::ui
